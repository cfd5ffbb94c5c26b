namespace HostKit.Bench.Running;

/// <summary>The timings and scale of one benchmark run.</summary>
/// <param name="Warmup">Load before each measurement, on the same workload (.NET keeps speeding up for ~20 s).</param>
/// <param name="Duration">The measurement window.</param>
/// <param name="Rounds">Fresh server processes per server, in rotated order.</param>
/// <param name="Quick">A smoke run: fewer connections, marked as such everywhere.</param>
/// <param name="ServerCore">The core the servers are pinned to.</param>
/// <param name="LoadCore">The core the load generators are pinned to.</param>
internal sealed record RunSettings(TimeSpan Warmup, TimeSpan Duration, int Rounds, bool Quick, string ServerCore = "0", string LoadCore = "1")
{
    /// <summary>How long a load tool may take beyond its warm-up and window before it is stopped as hung.</summary>
    public TimeSpan Timeout(TimeSpan connecting) => Warmup + Duration + connecting + TimeSpan.FromSeconds(60);

    /// <summary>Seconds as wrk and wsload take them.</summary>
    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
