namespace HostKit.Bench.Running;

/// <summary>One server process x one workload: a raw run as results.json keeps it.</summary>
internal sealed record RunRecord(
    string Server,
    string Workload,
    int Round,
    RunStatus Status,
    string? Note,
    DateTimeOffset FinishedUtc,
    double? Throughput = null,
    long? Count = null,
    double? Seconds = null,
    double? P50Microseconds = null,
    double? P99Microseconds = null,
    double? ServerCpuSeconds = null,
    long? ServerPeakRssBytes = null,
    double? ClientCpuSeconds = null,
    double? BytesPerConnection = null,
    int? Connections = null,
    double? OtherCpuCores = null,
    string? LoadAverage = null,
    long? WireBytes = null)
{
    /// <summary>
    /// Above this share of one core used by other processes during the window, the round measured
    /// a shared machine: it is reported, but kept out of the medians and verdicts.
    /// </summary>
    public const double BusyMachineCores = 0.25;

    /// <summary>Other processes used more than <see cref="BusyMachineCores"/> of a core while this was measured.</summary>
    public bool MachineWasBusy => OtherCpuCores > BusyMachineCores;

    /// <summary>Server CPU per request or message, in microseconds.</summary>
    public double? ServerCpuMicrosecondsPerOperation => Count is > 0 && ServerCpuSeconds is { } cpu ? cpu * 1e6 / Count.Value : null;

    /// <summary>The load generator's CPU per request or message, in microseconds: beside the server's, it shows which side was the limit.</summary>
    public double? ClientCpuMicrosecondsPerOperation => Count is > 0 && ClientCpuSeconds is { } cpu ? cpu * 1e6 / Count.Value : null;

    /// <summary>Websocket bytes on the wire per message, both ways (the message sent and its echo), when the generator counted them.</summary>
    public double? WireBytesPerOperation => Count is > 0 && WireBytes is { } bytes ? (double)bytes / Count.Value : null;
}
