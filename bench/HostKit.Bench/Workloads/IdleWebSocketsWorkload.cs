using System.Globalization;
using HostKit.Bench.Load;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// Server memory per idle websocket: RSS before, N websockets opened and held (wsload idle), RSS
/// again after a settling pause, the growth divided by N. Run first on each fresh server process:
/// after a load phase, garbage and pooled buffers would hide megabytes either way.
/// </summary>
internal sealed class IdleWebSocketsWorkload(string id, int connections, TimeSpan settle) : Workload
{
    public override string Id => id;

    public override string Title => $"idle websockets: server memory per connection at {connections:N0}";

    public override string Unit => "KiB/conn";

    public override WorkloadKind Kind => WorkloadKind.Memory;

    public override ServerFeatures Needs => ServerFeatures.WebSockets;

    public override bool HasCeiling => false;

    /// <summary>
    /// Waits (at most 20 s) until the server has finished closing the sockets: a server still busy
    /// with thousands of closes would slow the next workload's window.
    /// </summary>
    private static async Task SettleAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        context.Status("waiting for the server to finish closing");
        var interval = TimeSpan.FromMilliseconds(500);
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(20); waited += interval)
        {
            var before = ProcessTree.CpuSeconds(context.Pid);
            await Task.Delay(interval, cancellationToken);
            if (ProcessTree.CpuSeconds(context.Pid) - before < 0.1 * interval.TotalSeconds)
                return; // under 10% of a core: idle
        }
    }

    public override async Task<Measurement> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        context.Meter.BeginWorkload();
        var before = context.Meter.ResidentBytes;
        long after = 0;
        context.Status($"opening {connections:N0} websockets");
        var (load, json) = await context.WsLoad.RunAsync("idle", context.Port,
            ["--connections", connections.ToString(CultureInfo.InvariantCulture), "--connect-timeout", "120"],
            TimeSpan.FromSeconds(240), async (phase, closeInput) =>
            {
                if (phase != "connected")
                    return;
                context.Status($"holding {connections:N0} websockets for {settle.TotalSeconds:F0} s");
                await Task.Delay(settle, cancellationToken);
                after = context.Meter.ResidentBytes;
                closeInput(); // wsload closes its sockets and prints its result
            }, cancellationToken);
        await SettleAsync(context, cancellationToken);
        var open = (int)json.Long("open");
        double? perConnection = open > 0 && after > 0 ? (after - before) / (double)open : null;
        var errors = open < connections ? $"only {open:N0} of {connections:N0} websockets opened; {load.Errors}" : load.Errors;
        return new Measurement(null, 0, context.Meter.PeakResidentBytes, perConnection, open, errors);
    }
}
