namespace HostKit.Bench.Load;

/// <summary>What a load generator measured over the measurement window (warm-up excluded).</summary>
/// <param name="Count">Requests or messages completed (for fan-out: deliveries to members).</param>
/// <param name="Seconds">Length of the measurement window.</param>
/// <param name="P50Microseconds">Median latency; null when the tool recorded none.</param>
/// <param name="P99Microseconds">99th percentile latency; null when the tool recorded none.</param>
/// <param name="ClientCpuSeconds">CPU the load generator used in the window.</param>
/// <param name="Errors">What went wrong, if anything (refused upgrades, dropped sockets, non-2xx), or null.</param>
/// <param name="WireBytes">Websocket bytes written and read by the client in the window (frames as sent, compressed or not), when the tool counts them.</param>
internal sealed record LoadResult(long Count, double Seconds, double? P50Microseconds, double? P99Microseconds, double ClientCpuSeconds, string? Errors, long? WireBytes = null)
{
    /// <summary>Completions per second.</summary>
    public double Throughput => Seconds > 0 ? Count / Seconds : 0;
}
