using HostKit.Bench.Load;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>What a workload needs to run against one server process: its port, the load tools, the timings.</summary>
internal sealed class WorkloadContext(ServerProcess server, Wrk wrk, WsLoad wsLoad, RunSettings settings)
{
    public int Port => server.Port;

    /// <summary><c>http</c>, or <c>https</c> for a server that serves TLS.</summary>
    public string Scheme => server.Spec.Scheme;

    /// <summary>The server's process id (the root of its process tree).</summary>
    public int Pid => server.Pid;

    public ServerMeter Meter { get; } = new(server.Pid);

    public Wrk Wrk => wrk;

    public WsLoad WsLoad => wsLoad;

    /// <summary>h2load, for the HTTP/2 workload; null when it is not installed.</summary>
    public H2load? H2load { get; init; }

    public RunSettings Settings => settings;

    /// <summary>Reports what the workload is doing now (for the live progress).</summary>
    public Action<string> Status { get; init; } = _ => { };
}
