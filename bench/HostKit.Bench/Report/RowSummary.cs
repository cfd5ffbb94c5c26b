using HostKit.Bench.Running;

namespace HostKit.Bench.Report;

/// <summary>One server x workload over all rounds: medians and spreads, and whether the load generator set the figure.</summary>
internal sealed record RowSummary(
    string Server,
    string Workload,
    RunStatus Status,
    string? Note,
    int MeasuredRuns,
    Spread? Throughput,
    double? P50Microseconds,
    double? P99Microseconds,
    double? ServerCpuSeconds,
    double? ServerCpuMicrosecondsPerOperation,
    double? ServerPeakRssBytes,
    double? ClientCpuSeconds,
    Spread? BytesPerConnection,
    double? Ceiling,
    bool MeasuredOnBusyMachine = false,
    double? WireBytesPerOperation = null,
    double? ClientCpuMicrosecondsPerOperation = null)
{
    /// <summary>A row at 80% or more of what its generator drives through the trivial server: the generator, not the server, set it.</summary>
    public const double ClientBoundFraction = 0.8;

    public bool IsMeasured => Status == RunStatus.Ok && (Throughput is not null || BytesPerConnection is not null);

    /// <summary>This row's throughput as a fraction of what the same generator drives through the trivial C server.</summary>
    public double? CeilingFraction => Throughput is not null && Ceiling is > 0 ? Throughput.Median / Ceiling.Value : null;

    public bool ClientBound => Throughput is not null && Ceiling is > 0 && Throughput.Median >= ClientBoundFraction * Ceiling.Value;

    /// <summary>Server CPU per request or message over the rounds kept: its median and range (the operator-cost ratios use the range).</summary>
    public Spread? CpuPerOperation { get; init; }

    /// <summary>The p99 latency over the rounds kept, in microseconds: its median and range.</summary>
    public Spread? P99 { get; init; }

    /// <summary>Summarises the records of one server x workload.</summary>
    public static RowSummary Of(string server, string workload, IReadOnlyList<RunRecord> records, double? ceiling)
    {
        var ok = records.Where(r => r.Status == RunStatus.Ok).ToList();
        if (ok.Count == 0)
        {
            var first = records.FirstOrDefault();
            return new RowSummary(server, workload, first?.Status ?? RunStatus.Failed, first?.Note ?? "no run", 0, null, null, null, null, null, null, null, null, ceiling);
        }
        // Rounds measured while other processes used the machine are reported, not averaged in;
        // when every round was busy, the row keeps them and says it cannot be judged.
        var quiet = ok.Where(r => !r.MachineWasBusy).ToList();
        var busy = ok.Count - quiet.Count;
        var busyNote = busy == 0 ? null : quiet.Count > 0
            ? $"{busy} of {ok.Count} rounds left out: other processes used up to {ok.Max(r => r.OtherCpuCores):0.00} cores"
            : $"**busy machine** in every round (other processes used up to {ok.Max(r => r.OtherCpuCores):0.00} cores): not judged";
        var measuredOnBusyMachine = busy > 0 && quiet.Count == 0;
        if (quiet.Count > 0)
            ok = quiet;
        var notes = ok.Select(r => r.Note).Where(n => n is not null).Distinct().ToList();
        if (busyNote is not null)
            notes.Insert(0, busyNote);
        var failed = records.Count(r => r.Status == RunStatus.Failed);
        if (failed > 0)
            notes.Insert(0, $"{failed} of {records.Count} rounds failed: {records.First(r => r.Status == RunStatus.Failed).Note}");
        return new RowSummary(server, workload, RunStatus.Ok, notes.Count > 0 ? string.Join("; ", notes) : null, ok.Count,
            Spread.Of(ok.Where(r => r.Throughput.HasValue).Select(r => r.Throughput!.Value)),
            // A results.json written before percentiles could be missing has 0 for "none recorded".
            Spread.MedianOf(ok.Select(r => r.P50Microseconds is > 0 ? r.P50Microseconds : null)),
            Spread.MedianOf(ok.Select(r => r.P99Microseconds is > 0 ? r.P99Microseconds : null)),
            Spread.MedianOf(ok.Select(r => r.ServerCpuSeconds)),
            Spread.MedianOf(ok.Select(r => r.ServerCpuMicrosecondsPerOperation)),
            Spread.MedianOf(ok.Select(r => (double?)r.ServerPeakRssBytes)),
            Spread.MedianOf(ok.Select(r => r.ClientCpuSeconds)),
            Spread.Of(ok.Where(r => r.BytesPerConnection.HasValue).Select(r => r.BytesPerConnection!.Value)),
            ceiling,
            measuredOnBusyMachine,
            Spread.MedianOf(ok.Select(r => r.WireBytesPerOperation)),
            Spread.MedianOf(ok.Select(r => r.ClientCpuMicrosecondsPerOperation)))
        {
            CpuPerOperation = Spread.Of(ok.Where(r => r.ServerCpuMicrosecondsPerOperation.HasValue).Select(r => r.ServerCpuMicrosecondsPerOperation!.Value)),
            P99 = Spread.Of(ok.Where(r => r.P99Microseconds is > 0).Select(r => r.P99Microseconds!.Value)),
        };
    }
}
