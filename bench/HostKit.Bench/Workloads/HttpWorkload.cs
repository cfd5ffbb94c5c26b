using HostKit.Bench.Running;
using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>An HTTP workload driven by wrk with one of the Lua scripts in bench/wrk.</summary>
/// <param name="id">Workload id.</param>
/// <param name="title">Report title.</param>
/// <param name="script">The wrk script (plaintext.lua, pipeline.lua, post-echo.lua).</param>
/// <param name="scriptArguments">Passed to the script's init (pipeline depth, body size; request.lua: method, path, body size, depth).</param>
/// <param name="connections">wrk connections.</param>
/// <param name="needs">What the server must serve.</param>
/// <param name="probe">For an application's own route: the request to try once before measuring, so a route that answers
/// 404 gets a row saying so rather than a figure of 404s.</param>
internal sealed class HttpWorkload(string id, string title, string script, IReadOnlyList<string> scriptArguments, int connections, ServerFeatures needs,
    HttpRouteProbe? probe = null) : Workload
{
    public override string Id => id;

    public override string Title => title;

    public override string Unit => "req/s";

    public override ServerFeatures Needs => needs;

    public override async Task<string?> UnavailableReasonAsync(WorkloadContext context, CancellationToken cancellationToken) =>
        probe is null ? null : await probe.RefusalAsync(context.Port, cancellationToken);

    public override async Task<Measurement> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        context.Meter.BeginWorkload();
        // wrk counts whole seconds; a quick run's sub-second warm-up is skipped rather than stretched.
        var warmup = (int)Math.Floor(settings.Warmup.TotalSeconds);
        if (warmup >= 1)
        {
            context.Status($"warm-up {warmup} s");
            await context.Wrk.RunAsync(context.Scheme, context.Port, script, scriptArguments, connections, warmup, cancellationToken);
        }
        context.Status($"measuring {RunSettings.Seconds(settings.Duration)} s");
        context.Meter.Start();
        var load = await context.Wrk.RunAsync(context.Scheme, context.Port, script, scriptArguments, connections, (int)Math.Ceiling(settings.Duration.TotalSeconds), cancellationToken);
        context.Meter.Stop();
        return context.Meter.Finish(load);
    }
}
