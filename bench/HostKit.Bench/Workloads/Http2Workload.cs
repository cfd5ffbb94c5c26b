using HostKit.Bench.Running;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// An HTTP/2 workload driven by h2load: h2c by prior knowledge, <paramref name="streams"/> requests in flight on each of
/// <paramref name="connections"/> connections. Only the servers that speak HTTP/2 have a row (<see cref="Workload.OnlyWhereServed"/>);
/// the C ceiling server does not speak it, so there is no ceiling.
/// </summary>
internal sealed class Http2Workload(string id, string title, string path, int connections, int streams) : Workload
{
    public override string Id => id;

    public override string Title => title;

    public override string Unit => "req/s";

    public override ServerFeatures Needs => ServerFeatures.Http | ServerFeatures.Http2;

    public override bool HasCeiling => false;

    public override bool OnlyWhereServed => true;

    public override async Task<Measurement> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var h2load = context.H2load ?? throw new InvalidOperationException("h2load is not installed (apt-get install nghttp2-client).");
        var settings = context.Settings;
        context.Meter.BeginWorkload();
        var warmup = (int)Math.Floor(settings.Warmup.TotalSeconds);
        if (warmup >= 1)
        {
            context.Status($"warm-up {warmup} s");
            await h2load.RunAsync(context.Port, path, connections, streams, warmup, cancellationToken);
        }
        context.Status($"measuring {RunSettings.Seconds(settings.Duration)} s");
        context.Meter.Start();
        var load = await h2load.RunAsync(context.Port, path, connections, streams, (int)Math.Ceiling(settings.Duration.TotalSeconds), cancellationToken);
        context.Meter.Stop();
        return context.Meter.Finish(load);
    }
}
