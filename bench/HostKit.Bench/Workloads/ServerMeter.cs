using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>Samples a server's CPU at the edges of the measurement window and its peak memory over the workload.</summary>
internal sealed class ServerMeter(int pid)
{
    private double _cpuAtStart;
    private double _cpuAtStop;

    /// <summary>Resets the peak-memory mark: call before the workload's warm-up.</summary>
    public void BeginWorkload() => ProcessTree.ResetPeak(pid);

    /// <summary>The measurement window opens.</summary>
    public void Start() => _cpuAtStart = _cpuAtStop = ProcessTree.CpuSeconds(pid);

    /// <summary>The measurement window closes.</summary>
    public void Stop() => _cpuAtStop = ProcessTree.CpuSeconds(pid);

    public double CpuSeconds => _cpuAtStop - _cpuAtStart;

    public long PeakResidentBytes => ProcessTree.PeakResidentBytes(pid);

    public long ResidentBytes => ProcessTree.ResidentBytes(pid);

    /// <summary>The measurement of <paramref name="load"/> with this meter's server figures.</summary>
    public Measurement Finish(Load.LoadResult load) => new(load, CpuSeconds, PeakResidentBytes, Errors: load.Errors);
}
