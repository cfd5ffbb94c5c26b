using HostKit.Bench.Load;

namespace HostKit.Bench.Workloads;

/// <summary>One workload measured on one server process.</summary>
/// <param name="Load">What the load generator saw (null for the idle workload, which sends nothing).</param>
/// <param name="ServerCpuSeconds">CPU the server's process tree used in the measurement window.</param>
/// <param name="ServerPeakRssBytes">The server's peak resident memory during the workload (VmHWM, reset before it).</param>
/// <param name="BytesPerConnection">Idle websockets: server RSS growth divided by the sockets held open.</param>
/// <param name="Connections">Idle websockets: how many were open when memory was read.</param>
/// <param name="Errors">What went wrong, if anything.</param>
/// <param name="MachineBusySeconds">CPU the whole machine used in the measurement window (<see cref="Servers.MachineCpu"/>).</param>
internal sealed record Measurement(LoadResult? Load, double ServerCpuSeconds, long ServerPeakRssBytes, double? BytesPerConnection = null, int? Connections = null, string? Errors = null, double? MachineBusySeconds = null);
