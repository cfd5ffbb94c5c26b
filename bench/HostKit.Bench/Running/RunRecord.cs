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
    int? Connections = null)
{
    /// <summary>Server CPU per request or message, in microseconds.</summary>
    public double? ServerCpuMicrosecondsPerOperation => Count is > 0 && ServerCpuSeconds is { } cpu ? cpu * 1e6 / Count.Value : null;
}
