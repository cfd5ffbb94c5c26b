using System.Globalization;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Report;

/// <summary>One speed target of issues 15 and 17, as measured: the ratio (with its range over rounds) and whether it is met.</summary>
internal sealed record TargetCheck(string Target, string Measured, string Verdict)
{
    /// <summary>Differences under this are noise on this machine (two processes of one binary differ by up to ~15%).</summary>
    public const double Noise = 0.10;

    private static readonly string[] HttpWorkloads = ["plaintext", "pipelined", "post-echo-4k"];
    private static readonly string[] EchoWorkloads = ["ws-echo-32x32B", "ws-echo-256x32B", "ws-echo-32x4KiB"];

    /// <summary>Every target the report states, in the issues' order.</summary>
    public static IReadOnlyList<TargetCheck> Evaluate(ResultsSummary summary)
    {
        var checks = new List<TargetCheck>();
        var hostkit = summary.Servers.Where(s => s.Group == ServerGroup.HostKit).Select(s => s.Name).ToList();
        foreach (var workload in summary.Results.Workloads.Where(w => w.Kind == Workloads.WorkloadKind.Throughput && !w.Id.StartsWith("chat", StringComparison.Ordinal)))
            checks.Add(Ratio($"`kestrel` >= 1.0x bare ASP.NET Core on {workload.Id}", summary.Row("kestrel", workload.Id), summary.Row("bare-kestrel", workload.Id), 1.0));
        foreach (var workload in HttpWorkloads)
            checks.Add(Ratio($"`raw` >= 1.0x bare ASP.NET Core on {workload}", summary.Row("raw", workload), summary.Row("bare-kestrel", workload), 1.0));
        foreach (var workload in EchoWorkloads)
            checks.Add(Ratio($"`raw` >= 1.0x Node + ws on {workload}", summary.Row("raw", workload), summary.Row("node-ws", workload), 1.0));
        checks.Add(IdleMemory(summary.Row("raw", "idle-ws")));
        foreach (var (workload, factor) in new[] { ("ws-echo-32x32B", 1.5), ("ws-echo-256x32B", 1.5), ("ws-echo-32x4KiB", 30.0) })
        {
            var python = summary.Best(ServerGroup.Python, workload);
            foreach (var host in hostkit)
                checks.Add(Ratio($"`{host}` >= {factor:0.#}x the best Python stack{(python is null ? "" : $" ({python.Server})")} on {workload}", summary.Row(host, workload), python, factor));
        }
        return checks;
    }

    private static TargetCheck Ratio(string target, RowSummary? subject, RowSummary? baseline, double factor)
    {
        if (subject?.Throughput is not { } a || baseline?.Throughput is not { } b || b.Median <= 0)
            return new TargetCheck(target, "-", $"not measured ({Why(subject) ?? Why(baseline) ?? "a server was not in this run"})");
        var ratio = a.Median / b.Median;
        var measured = string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}x (range {a.Min / b.Max:0.00}-{a.Max / b.Min:0.00})");
        string verdict;
        if (subject.ClientBound && baseline.ClientBound)
            verdict = "inconclusive: both rows client-bound";
        else if (ratio >= factor)
            verdict = baseline.ClientBound ? "met (the baseline is client-bound, so the margin may be larger)" : "**met**";
        else
            verdict = subject.ClientBound ? "inconclusive: client-bound" : "**not met**";
        if (factor == 1.0 && Math.Abs(ratio - 1) < Noise)
            verdict += ", within the ±10% noise";
        return new TargetCheck(target, measured, verdict);
    }

    private static TargetCheck IdleMemory(RowSummary? raw)
    {
        const string target = "`raw` <= 8 KiB per idle websocket";
        if (raw?.BytesPerConnection is not { } bytes)
            return new TargetCheck(target, "-", $"not measured ({Why(raw) ?? "raw was not in this run"})");
        var measured = string.Create(CultureInfo.InvariantCulture, $"{bytes.Median / 1024:0.0} KiB (range {bytes.Min / 1024:0.0}-{bytes.Max / 1024:0.0})");
        return new TargetCheck(target, measured, bytes.Median <= 8 * 1024 ? "**met**" : "**not met**");
    }

    private static string? Why(RowSummary? row) => row is null ? null : row.IsMeasured ? null : $"{row.Server}: {row.Note}";
}
