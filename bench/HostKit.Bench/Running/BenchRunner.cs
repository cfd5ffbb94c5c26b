using System.Globalization;
using HostKit.Bench.Load;
using HostKit.Bench.Servers;
using HostKit.Bench.Workloads;
using Spectre.Console;

namespace HostKit.Bench.Running;

/// <summary>
/// Runs the method of issue 17 in <see cref="RunSettings.Rounds"/> rounds. Each round first
/// measures each load generator's ceiling against the trivial C server (the machine's load
/// changes, so the ceiling is taken again each round, and the report uses the best), then runs
/// every server, in an order rotated by one per round, in a fresh process pinned to the server
/// core through every workload (warm-up on that workload, then the measurement window), while the
/// load runs on the other core. Every server x workload x round ends as a <see cref="RunRecord"/>, measured or not.
/// </summary>
internal sealed class BenchRunner(RunSettings settings, NativeTools tools, string? wrkPath, string wrkScripts, string outputFolder, Action<RunRecord> record)
{
    private readonly WsLoad _wsLoad = new(tools.WsLoad, settings.LoadCore);
    private static readonly TimeSpan CeilingWarmup = TimeSpan.FromSeconds(2);
    private readonly Wrk _wrk = new(wrkScripts, Path.Combine(outputFolder, "obj"), settings.LoadCore);
    private readonly H2load? _h2load = ToolLocator.Find("h2load") is { } h2load ? new H2load(h2load, Path.Combine(outputFolder, "obj"), settings.LoadCore) : null;

    /// <summary>A rough duration, printed before the run starts.</summary>
    public static TimeSpan Estimate(RunSettings settings, int servers, int workloads) =>
        ((settings.Warmup + settings.Duration + TimeSpan.FromSeconds(1)) * workloads * servers * settings.Rounds)
        + ((CeilingWarmup + settings.Duration) * workloads * settings.Rounds) + (TimeSpan.FromSeconds(3) * servers * settings.Rounds);

    public async Task RunAsync(IReadOnlyList<ServerSpec> servers, IReadOnlyList<Workload> workloads, CancellationToken cancellationToken)
    {
        foreach (var missing in servers.Where(s => !s.IsAvailable))
        {
            foreach (var workload in workloads)
                record(new RunRecord(missing.Name, workload.Id, 1, RunStatus.NotInstalled, missing.MissingReason, DateTimeOffset.UtcNow));
        }
        var available = servers.Where(s => s.IsAvailable).ToList();
        var ceilingWorkloads = workloads.Where(w => w.HasCeiling).ToList();
        var total = (ceilingWorkloads.Count + (available.Count * workloads.Count)) * settings.Rounds;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("starting", maxValue: total);
                for (var round = 1; round <= settings.Rounds; round++)
                {
                    if (ceilingWorkloads.Count > 0)
                        await RunServerAsync(ServerCatalog.Ceiling(tools.CeilingServer), ceilingWorkloads, round, task, ceilingRun: true, cancellationToken);
                    // Rotated order: no server always runs first (on a cold machine) or last (on a hot one).
                    var shift = (round - 1) % Math.Max(1, available.Count);
                    foreach (var server in available.Skip(shift).Concat(available.Take(shift)))
                        await RunServerAsync(server, workloads, round, task, ceilingRun: false, cancellationToken);
                }
                task.Description = "done";
            });
    }

    private async Task RunServerAsync(ServerSpec spec, IReadOnlyList<Workload> workloads, int round, ProgressTask task, bool ceilingRun, CancellationToken cancellationToken)
    {
        var prefix = $"round {round}/{settings.Rounds} · {(ceilingRun ? "generator ceiling" : spec.Name)}";
        var restarts = 0;
        ServerProcess? server = null;
        try
        {
            foreach (var workload in workloads)
            {
                cancellationToken.ThrowIfCancellationRequested();
                task.Description = Markup.Escape($"{prefix} · {workload.Id}: starting");
                RunRecord result;
                if ((workload.Needs & ~spec.Features) != 0)
                    result = Record(spec, workload, round, RunStatus.Unsupported, (workload.Needs & ~spec.Features) == ServerFeatures.Chat
                        ? "not applicable: the chat is the HostKit Demo's, baselines serve the echo routes only"
                        : spec.Limitation is { } limitation ? limitation
                        : $"not supported by this server: it lacks {workload.Needs & ~spec.Features}");
                else if (workload.Needs.HasFlag(ServerFeatures.Http2) && _h2load is null)
                    result = Record(spec, workload, round, RunStatus.NotInstalled, "not installed: h2load (apt-get install nghttp2-client)");
                else if (workload.Needs.HasFlag(ServerFeatures.Http) && wrkPath is null)
                    result = Record(spec, workload, round, RunStatus.NotInstalled, "not installed: wrk (run bench/install-baselines.sh)");
                else
                {
                    if (server is null || server.HasExited)
                    {
                        if (server is not null)
                        {
                            await server.DisposeAsync();
                            restarts++;
                        }
                        var log = Path.Combine(outputFolder, "logs", $"{spec.Name}-round{round}{(restarts > 0 ? $"-restart{restarts}" : "")}.log");
                        try
                        {
                            server = await ServerProcess.StartAsync(spec, log, settings.ServerCore, cancellationToken);
                        }
                        catch (ServerStartException e)
                        {
                            server = null;
                            record(Record(spec, workload, round, RunStatus.Failed, e.Message));
                            task.Increment(1);
                            continue;
                        }
                    }
                    result = await MeasureAsync(server, spec, workload, round, restarts, s => task.Description = Markup.Escape($"{prefix} · {workload.Id}: {s}"), cancellationToken);
                }
                record(result);
                Print(prefix, workload, result);
                task.Increment(1);
            }
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
        }
    }

    private async Task<RunRecord> MeasureAsync(ServerProcess server, ServerSpec spec, Workload workload, int round, int restarts, Action<string> status, CancellationToken cancellationToken)
    {
        // C has no JIT to warm: the ceiling server only needs its connections open.
        var timings = spec.Group == ServerGroup.Ceiling && settings.Warmup > CeilingWarmup ? settings with { Warmup = CeilingWarmup } : settings;
        var context = new WorkloadContext(server, _wrk, _wsLoad, timings) { Status = status, H2load = _h2load };
        try
        {
            if (await workload.UnavailableReasonAsync(context, cancellationToken) is { } reason)
                return Record(spec, workload, round, RunStatus.Unavailable, reason);
            var measured = await workload.RunAsync(context, cancellationToken);
            if (measured.Load is { Count: 0 } silent)
                return Record(spec, workload, round, RunStatus.Failed, $"nothing completed in the window{(silent.Errors is null ? "" : $": {silent.Errors}")}");
            var note = string.Join("; ", new[] { restarts > 0 ? $"on a fresh process after {restarts} crash(es)" : null, measured.Errors }.Where(n => n is not null));
            if (server.HasExited)
                note = $"the server exited during the run; {note}";
            return new RunRecord(spec.Name, workload.Id, round, RunStatus.Ok, note.Length > 0 ? note : null, DateTimeOffset.UtcNow,
                measured.Load?.Throughput, measured.Load?.Count, measured.Load?.Seconds, measured.Load?.P50Microseconds, measured.Load?.P99Microseconds,
                measured.Load is null ? null : measured.ServerCpuSeconds, measured.ServerPeakRssBytes, measured.Load?.ClientCpuSeconds,
                measured.BytesPerConnection, measured.Connections, OtherCpuCores(measured), Report.MachineInfo.LoadAverage(), measured.Load?.WireBytes);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Record(spec, workload, round, RunStatus.Failed, e.Message);
        }
    }

    /// <summary>What everything but the server and its load generator used of the machine in the window, in cores.</summary>
    private static double? OtherCpuCores(Measurement measured) =>
        measured is { Load: { Seconds: > 0 } load, MachineBusySeconds: { } machine }
            ? Math.Max(0, machine - measured.ServerCpuSeconds - load.ClientCpuSeconds) / load.Seconds
            : null;

    private static RunRecord Record(ServerSpec spec, Workload workload, int round, RunStatus status, string? note) =>
        new(spec.Name, workload.Id, round, status, note, DateTimeOffset.UtcNow);

    private static void Print(string prefix, Workload workload, RunRecord result)
    {
        var figure = result switch
        {
            { Status: RunStatus.Ok, BytesPerConnection: { } bytes } => $"{bytes / 1024:F1} KiB per idle websocket ({result.Connections:N0} open)",
            { Status: RunStatus.Ok, Throughput: { } rate } => $"{rate.ToString("N0", CultureInfo.InvariantCulture)} {workload.Unit}, {(result.P99Microseconds is { } p99 ? $"p99 {p99 / 1000:F2} ms" : "no latency recorded")}",
            _ => $"{result.Status}: {result.Note}",
        };
        var busy = result.MachineWasBusy ? $"the machine was busy: other processes used {result.OtherCpuCores:0.00} cores" : null;
        var notes = string.Join("; ", new[] { busy, result.Note }.Where(n => n is not null));
        var warning = result.Status is RunStatus.Ok && notes.Length > 0 ? $" [yellow]({Markup.Escape(notes)})[/]" : "";
        var colour = result.Status is RunStatus.Ok ? "green" : result.Status is RunStatus.Failed ? "red" : "grey";
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape($"{prefix} · {workload.Id}: {figure}")}[/]{warning}");
    }
}
