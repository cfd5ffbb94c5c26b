using System.Globalization;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// A websocket echo route (WS /ws/echo unless <paramref name="path"/> says another), closed loop: N connections each keeping
/// K messages of S bytes in flight (wsload echo). An application's own route is probed first (<paramref name="probe"/>):
/// one that is not upgraded gets a row saying what it answered.
/// </summary>
internal class WebSocketEchoWorkload(string id, string title, int connections, int inFlight, int size, bool text, string path = "/ws/echo", bool probe = false) : Workload
{
    public override string Id => id;

    public override string Title => title;

    public override string Unit => "msgs/s";

    public override ServerFeatures Needs => ServerFeatures.WebSockets;

    public override async Task<string?> UnavailableReasonAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        if (!probe)
            return null;
        var refusal = await context.WsLoad.ProbeAsync(context.Port, path, cancellationToken);
        return refusal is null ? null : $"WS {path} was not upgraded: {refusal}";
    }

    public override async Task<Measurement> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        context.Meter.BeginWorkload();
        context.Status($"connecting {connections}, warm-up {RunSettings.Seconds(settings.Warmup)} s");
        List<string> options =
        [
            "--path", path, "--connections", I(connections), "--inflight", I(inFlight), "--size", I(size),
            "--warmup", RunSettings.Seconds(settings.Warmup), "--duration", RunSettings.Seconds(settings.Duration),
        ];
        options.AddRange(PayloadOptions);
        var (load, _) = await context.WsLoad.RunAsync("echo", context.Port, options, settings.Timeout(TimeSpan.FromSeconds(120)), (phase, _) =>
        {
            if (phase == "measure")
            {
                context.Meter.Start();
                context.Status($"measuring {RunSettings.Seconds(settings.Duration)} s");
            }
            else if (phase == "done")
                context.Meter.Stop();
            return Task.CompletedTask;
        }, cancellationToken);
        return context.Meter.Finish(load);
    }

    /// <summary>What wsload sends: <c>--text</c> for text frames of repeated letters, nothing for binary ones.</summary>
    protected virtual IEnumerable<string> PayloadOptions => text ? ["--text"] : [];

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
