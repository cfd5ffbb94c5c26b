namespace HostKit.Bench.Workloads;

/// <summary>How a workload's figure reads: completions per second, or memory per connection.</summary>
internal enum WorkloadKind
{
    /// <summary>Requests or messages per second (higher is better), with latency.</summary>
    Throughput,

    /// <summary>Server memory per idle websocket (lower is better).</summary>
    Memory,
}
