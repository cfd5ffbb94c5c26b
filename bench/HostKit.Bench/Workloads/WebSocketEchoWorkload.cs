using System.Globalization;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>WS /ws/echo, closed loop: N connections each keeping K messages of S bytes in flight (wsload echo).</summary>
internal sealed class WebSocketEchoWorkload(string id, string title, int connections, int inFlight, int size, bool text) : Workload
{
    public override string Id => id;

    public override string Title => title;

    public override string Unit => "msgs/s";

    public override ServerFeatures Needs => ServerFeatures.WebSockets;

    public override async Task<Measurement> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        context.Meter.BeginWorkload();
        context.Status($"connecting {connections}, warm-up {RunSettings.Seconds(settings.Warmup)} s");
        List<string> options =
        [
            "--connections", I(connections), "--inflight", I(inFlight), "--size", I(size),
            "--warmup", RunSettings.Seconds(settings.Warmup), "--duration", RunSettings.Seconds(settings.Duration),
        ];
        if (text)
            options.Add("--text");
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

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
