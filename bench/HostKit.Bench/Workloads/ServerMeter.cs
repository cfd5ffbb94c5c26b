using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>Samples a server's CPU at the edges of the measurement window and its peak memory over the workload.</summary>
internal sealed class ServerMeter(int pid)
{
    private double _cpuAtStart;
    private double _cpuAtStop;
    private double _machineAtStart;
    private double _machineAtStop;

    /// <summary>Resets the peak-memory mark: call before the workload's warm-up.</summary>
    public void BeginWorkload() => ProcessTree.ResetPeak(pid);

    /// <summary>The measurement window opens.</summary>
    public void Start()
    {
        _machineAtStart = _machineAtStop = MachineCpu.BusySeconds();
        _cpuAtStart = _cpuAtStop = ProcessTree.CpuSeconds(pid);
    }

    /// <summary>The measurement window closes.</summary>
    public void Stop()
    {
        _cpuAtStop = ProcessTree.CpuSeconds(pid);
        _machineAtStop = MachineCpu.BusySeconds();
    }

    public double CpuSeconds => _cpuAtStop - _cpuAtStart;

    /// <summary>CPU the whole machine used in the window: the server, the load generator and anything else.</summary>
    public double MachineBusySeconds => _machineAtStop - _machineAtStart;

    public long PeakResidentBytes => ProcessTree.PeakResidentBytes(pid);

    public long ResidentBytes => ProcessTree.ResidentBytes(pid);

    /// <summary>The measurement of <paramref name="load"/> with this meter's server figures.</summary>
    public Measurement Finish(Load.LoadResult load) => new(load, CpuSeconds, PeakResidentBytes, Errors: load.Errors, MachineBusySeconds: MachineBusySeconds);
}
