using System.Globalization;
using HostKit.Bench.Running;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// Chat fan-out on WS /ws/chat (issue 13's protocol): N members join one fresh room; members take
/// turns sending a numbered message (each at most every 100 ms, under any sane rate limit); the
/// latency is from the send to the receipt by the last member, and the next message goes when
/// every member has it. Probed on each server first: a build whose Demo has no chat route gets a
/// row saying so.
/// </summary>
internal sealed class ChatFanoutWorkload(string id, int members) : Workload
{
    private const string ChatPath = "/ws/chat";

    public override string Id => id;

    public override string Title => $"chat fan-out to {members:N0} member{(members == 1 ? "" : "s")} (send to last receipt)";

    public override string Unit => "deliveries/s";

    public override ServerFeatures Needs => ServerFeatures.WebSockets | ServerFeatures.Chat;

    public override bool HasCeiling => false;

    public override async Task<string?> UnavailableReasonAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var refusal = await context.WsLoad.ProbeAsync(context.Port, $"{ChatPath}?room=probe&name=probe", cancellationToken);
        return refusal is null ? null : $"not available on this build: WS {ChatPath} is not upgraded ({refusal})";
    }

    public override async Task<Measurement> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        context.Meter.BeginWorkload();
        context.Status($"{members:N0} members joining, warm-up {RunSettings.Seconds(settings.Warmup)} s");
        var room = $"bench-{members}-{Guid.NewGuid():N}"[..40]; // a fresh room: no history from earlier runs
        var (load, _) = await context.WsLoad.RunAsync("fanout", context.Port,
            ["--connections", members.ToString(CultureInfo.InvariantCulture), "--room", room, "--sender-interval-ms", "100",
             "--warmup", RunSettings.Seconds(settings.Warmup), "--duration", RunSettings.Seconds(settings.Duration)],
            settings.Timeout(TimeSpan.FromSeconds(120)), (phase, _) =>
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
}
