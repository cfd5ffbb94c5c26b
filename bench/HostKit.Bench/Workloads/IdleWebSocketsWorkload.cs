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
        var open = (int)json.Long("open");
        double? perConnection = open > 0 && after > 0 ? (after - before) / (double)open : null;
        var errors = open < connections ? $"only {open:N0} of {connections:N0} websockets opened; {load.Errors}" : load.Errors;
        return new Measurement(null, 0, context.Meter.PeakResidentBytes, perConnection, open, errors);
    }
}
