using System.Globalization;
using System.Text;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;

namespace HostKit.Bench.Report;

/// <summary>report.md: the method, the targets met or not, a table per workload, the ratios, the ceilings, the charts.</summary>
internal static class MarkdownReport
{
    public static string Write(ResultsSummary summary, IReadOnlyList<(string Name, string Title)> charts)
    {
        var results = summary.Results;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# HostKit side-by-side benchmark, {results.StartedUtc:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        if (results.Quick)
            md.AppendLine("> **QUICK RUN: a smoke check, not a measurement.** Short warm-up and window, one round, fewer connections. Do not quote these figures.").AppendLine();
        Method(md, results);
        // The targets name the Demo's routes and the baselines; another application's report has neither.
        if (results.App is null)
            Targets(md, summary);
        Workloads(md, summary);
        Compression(md, summary);
        Ratios(md, summary);
        OperatorCostsSection.Write(md, summary);
        Ceilings(md, summary);
        Servers(md, results);
        if (charts.Count > 0)
        {
            md.AppendLine("## Charts").AppendLine();
            foreach (var (name, title) in charts)
                md.AppendLine(CultureInfo.InvariantCulture, $"### {title}").AppendLine().AppendLine(CultureInfo.InvariantCulture, $"![{title}](charts/{name}.png) ([SVG](charts/{name}.svg))").AppendLine();
        }
        return md.ToString();
    }

    private static void Method(StringBuilder md, ResultsFile results)
    {
        var s = results.Settings;
        var m = results.Machine;
        md.AppendLine("## How this was measured").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{results.CommandLine}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {m.Cpu}, {m.Cores} cores, {m.MemoryTotal}, {m.OperatingSystem}, kernel {m.Kernel}, {m.DotNet}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Load average at start / end: {m.LoadAverageAtStart} / {results.LoadAverageAtEnd} (above ~2 on 2 cores means something else shared the machine)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Server pinned to core {s.ServerCore}, load generator to core {s.LoadCore} (`taskset`). Each server ran in {s.Rounds} fresh process(es), one per round, in an order rotated each round.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Each workload: {s.WarmupSeconds:0.#} s warm-up on that workload, then a {s.DurationSeconds:0.#} s window. Figures are the median over rounds, with the range (min-max).");
        md.AppendLine("- HTTP load: wrk, one thread. HTTP/2 load: h2load, one thread, h2c by prior knowledge; it has rows only for the servers that speak HTTP/2 (HostKit hosts that declare it run with `--http2`, which leaves HTTP/1.1 on the same address), and no C ceiling. Websocket load: bench/native/wsload.c (C, epoll, closed loop, pre-built masked frames). Idle memory: server RSS growth over the idle sockets, on a fresh process before any load.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- **client-bound**: a row at {RowSummary.ClientBoundFraction:P0} or more of what the same generator drives through a trivial C server (bench/native/ceiling_server.c) measures the generator, not the server.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Differences under {TargetCheck.Noise:P0} are noise here: two processes of one binary differ by up to ~15% on this machine.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- **Busy machine**: in every window the machine's busy CPU (/proc/stat) less the server's and the load generator's is what other processes used. A round in which that exceeded {Running.RunRecord.BusyMachineCores:0.00} of a core is listed in the row's note and kept out of its median; a row busy in every round gets no verdict.");
        md.AppendLine("- **of C ceiling**: the row's median as a fraction of what the same generator drives through the single-threaded C epoll server (bench/native/ceiling_server.c) on the same core split: how close a host comes to what the kernel allows.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- **Server CPU s** near the window ({s.DurationSeconds:0.#} s) means the server had its core to itself and was the limit; far below it, the server waited on the load generator or shared its core with something else. On a shared machine, **server CPU µs/op** (CPU per request or message) is the steadier figure to compare.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Tools: {string.Join("; ", results.Tools.Select(t => $"{t.Key} {t.Value}"))}");
        md.AppendLine();
    }

    private static void Targets(StringBuilder md, ResultsSummary summary)
    {
        md.AppendLine("## Targets (issue 24)").AppendLine();
        if (summary.Results.Quick)
        {
            // One short round on a loaded machine cannot tell met from not met: a verdict here would be quoted anyway.
            md.AppendLine("QUICK: no verdicts. A quick run checks that every server and workload runs and that the report is written; run without `--quick` to check the targets.").AppendLine();
            return;
        }
        md.AppendLine("| target | measured (ratio of medians, range over rounds) | verdict |").AppendLine("| --- | --: | --- |");
        foreach (var check in TargetCheck.Evaluate(summary))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {check.Target} | {check.Measured} | {check.Verdict} |");
        md.AppendLine();
    }

    private static void Workloads(StringBuilder md, ResultsSummary summary)
    {
        md.AppendLine("## Results per workload").AppendLine();
        foreach (var workload in summary.Results.Workloads)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {workload.Title} (`{workload.Id}`)").AppendLine();
            if (workload.Kind == WorkloadKind.Memory)
            {
                md.AppendLine("| server | KiB per idle websocket | range | sockets open | peak RSS MiB | note |").AppendLine("| --- | --: | --: | --: | --: | --- |");
                foreach (var server in summary.Servers)
                {
                    var row = summary.Row(server.Name, workload.Id);
                    if (row?.BytesPerConnection is { } b)
                        md.AppendLine(CultureInfo.InvariantCulture, $"| {server.Name} | {b.Median / 1024:0.0} | {b.Min / 1024:0.0}-{b.Max / 1024:0.0} | {Connections(summary, server.Name, workload.Id)} | {Mib(row.ServerPeakRssBytes)} | {Cell(row.Note)} |");
                    else
                        md.AppendLine(CultureInfo.InvariantCulture, $"| {server.Name} | - | - | - | - | {Cell(Status(row))} |");
                }
            }
            else
            {
                // Only the workloads whose generator counts the bytes on the wire get the column (the chat-text echo).
                var wire = workload.CountsWireBytes;
                md.AppendLine(CultureInfo.InvariantCulture, $"| server | {workload.Unit} | range | of C ceiling | p50 ms | p99 ms | server CPU s | server CPU µs/op |{(wire ? " wire B/msg |" : "")} peak RSS MiB | load CPU s | note |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| --- | --: | --: | --: | --: | --: | --: | --: |{(wire ? " --: |" : "")} --: | --: | --- |");
                foreach (var server in summary.Servers)
                {
                    var row = summary.Row(server.Name, workload.Id);
                    if (workload.Hides(row))
                        continue;
                    if (row?.Throughput is { } t)
                    {
                        var note = string.Join("; ", new[] { row.ClientBound ? "**client-bound**" : null, row.Note }.Where(n => n is not null));
                        md.AppendLine(CultureInfo.InvariantCulture,
                            $"| {server.Name} | {t.Median:N0} | {t.Min:N0}-{t.Max:N0} | {row.CeilingFraction:0.00} | {Ms(row.P50Microseconds)} | {Ms(row.P99Microseconds)} | {row.ServerCpuSeconds:0.00} | {row.ServerCpuMicrosecondsPerOperation:0.0} |{(wire ? $" {Bytes(row.WireBytesPerOperation)} |" : "")} {Mib(row.ServerPeakRssBytes)} | {row.ClientCpuSeconds:0.00} | {Cell(note)} |");
                    }
                    else
                        md.AppendLine(CultureInfo.InvariantCulture, $"| {server.Name} | - | - | - | - | - | - | - |{(wire ? " - |" : "")} - | - | {Cell(Status(row))} |");
                }
            }
            md.AppendLine();
        }
    }

    /// <summary>
    /// The chat-text rows side by side per server: what permessage-deflate saves on the wire and costs in CPU, against
    /// the same messages uncompressed. Only when the run measured some of them.
    /// </summary>
    private static void Compression(StringBuilder md, ResultsSummary summary)
    {
        var workloads = summary.Results.Workloads.Where(w => w.CountsWireBytes).ToList();
        var rows = summary.Servers
            .SelectMany(s => workloads.Select(w => (Server: s.Name, Workload: w.Id, Row: summary.Row(s.Name, w.Id))))
            .Where(r => r.Row is { Throughput: not null })
            .ToList();
        if (rows.Count == 0)
            return;
        md.AppendLine("## Compression: bytes on the wire and CPU per message").AppendLine();
        md.AppendLine("The chat-text echo rows again, per server: one message is a chat event sent and its echo received, so the wire bytes are both frames (headers included, TCP/IP not). The load generator's CPU per message beside the server's shows which side was the limit.").AppendLine();
        md.AppendLine("| server | workload | msgs/s | wire B/msg | server CPU µs/msg | load CPU µs/msg |").AppendLine("| --- | --- | --: | --: | --: | --: |");
        foreach (var (server, workload, row) in rows)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {server} | {workload} | {row!.Throughput!.Median:N0} | {Bytes(row.WireBytesPerOperation)} | {row.ServerCpuMicrosecondsPerOperation:0.0} | {row.ClientCpuMicrosecondsPerOperation:0.0} |");
        md.AppendLine();
    }

    private static void Ratios(StringBuilder md, ResultsSummary summary)
    {
        // A workload only some servers serve (HTTP/2) has no baseline to hold a host to.
        var workloads = summary.Results.Workloads.Where(w => w.Kind == WorkloadKind.Throughput && !w.OnlyWhereServed).Select(w => w.Id).ToList();
        var hosts = summary.Servers.Where(s => s.Group == ServerGroup.HostKit).ToList();
        md.AppendLine("## Ratios (median / median)").AppendLine();
        md.AppendLine("Each HostKit host against the bare ASP.NET Core app, the best Python stack on that workload, and Node + ws. Above 1 is faster; within ±0.10 of 1 is noise.").AppendLine();
        foreach (var (title, baseline, nameIt) in new (string, Func<string, RowSummary?>, bool)[]
        {
            ("against bare ASP.NET Core (`bare-kestrel`)", w => summary.Row("bare-kestrel", w), false),
            ("against the best Python stack (named in each cell)", w => summary.Best(ServerGroup.Python, w), true),
            ("against Node + ws (`node-ws`)", w => summary.Row("node-ws", w), false),
        })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {title}").AppendLine();
            md.AppendLine("| host | " + string.Join(" | ", workloads) + " |");
            md.AppendLine("| --- |" + string.Concat(workloads.Select(_ => " --: |")));
            foreach (var host in hosts)
            {
                var cells = workloads.Select(w =>
                {
                    var a = summary.Row(host.Name, w)?.Throughput;
                    var b = baseline(w);
                    return a is null || b?.Throughput is not { Median: > 0 } bt ? "-" : string.Create(CultureInfo.InvariantCulture, $"{a.Median / bt.Median:0.00}{(nameIt ? $" ({b.Server})" : "")}");
                });
                md.AppendLine(CultureInfo.InvariantCulture, $"| {host.Name} | {string.Join(" | ", cells)} |");
            }
            md.AppendLine();
        }
    }

    private static void Ceilings(StringBuilder md, ResultsSummary summary)
    {
        md.AppendLine("## Load generator ceilings").AppendLine();
        md.AppendLine("What each generator drives through the trivial C server on the same core split, once per round; the best round is the ceiling, and rows at 80% of it or more are marked client-bound.").AppendLine();
        md.AppendLine("| workload | ceiling (best round) | range | unit | p99 ms | load CPU s | note |").AppendLine("| --- | --: | --: | --- | --: | --: | --- |");
        foreach (var workload in summary.Results.Workloads)
        {
            var row = summary.Ceiling(workload.Id);
            if (row?.Throughput is { } t)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {workload.Id} | {t.Max:N0} | {t.Min:N0}-{t.Max:N0} | {workload.Unit} | {Ms(row.P99Microseconds)} | {row.ClientCpuSeconds:0.00} | {Cell(row.Note)} |");
            else if (row is not null)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {workload.Id} | - | - | {workload.Unit} | - | - | {Cell(Status(row))} |");
        }
        md.AppendLine();
    }

    private static void Servers(StringBuilder md, ResultsFile results)
    {
        md.AppendLine("## Servers").AppendLine();
        md.AppendLine("| server | what | here |").AppendLine("| --- | --- | --- |");
        foreach (var server in results.Servers.Where(s => s.Group != ServerGroup.Ceiling))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {server.Name} | {Cell(server.Description)} | {Cell(server.MissingReason ?? "ran")} |");
        md.AppendLine();
    }

    private static string Connections(ResultsSummary summary, string server, string workload) =>
        Spread.MedianOf(summary.Results.Runs.Where(r => r.Server == server && r.Workload == workload && r.Status == RunStatus.Ok).Select(r => (double?)r.Connections)) is { } n
            ? n.ToString("N0", CultureInfo.InvariantCulture)
            : "-";

    private static string Status(RowSummary? row) => row is null ? "not run (not selected)" : $"{Describe(row.Status)}: {row.Note}";

    private static string Describe(RunStatus status) => status switch
    {
        RunStatus.Failed => "**failed**",
        RunStatus.Unsupported => "not supported",
        RunStatus.Unavailable => "not available",
        RunStatus.NotInstalled => "not installed",
        _ => "",
    };

    /// <summary>A latency in ms, or blank when the tool recorded none (wrk's pipelined batches): a 0.00 would read as instant.</summary>
    private static string Ms(double? microseconds) => microseconds is { } us ? (us / 1000).ToString("0.00", CultureInfo.InvariantCulture) : "";

    private static string Bytes(double? bytes) => bytes is { } b ? b.ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string Mib(double? bytes) => bytes is { } b ? (b / (1024 * 1024)).ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
