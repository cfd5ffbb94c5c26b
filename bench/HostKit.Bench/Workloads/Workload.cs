using HostKit.Bench.Servers;

namespace HostKit.Bench.Workloads;

/// <summary>
/// One row group of the report: a load shape run against every server. Add a workload by adding a
/// subclass instance to <see cref="WorkloadCatalog"/>; the runner, the report and the charts pick it up.
/// </summary>
internal abstract class Workload
{
    /// <summary>The name in <c>--workloads</c>, results.json and chart file names.</summary>
    public abstract string Id { get; }

    /// <summary>What it is, for the report ("websocket echo, 32 connections x 32 B").</summary>
    public abstract string Title { get; }

    /// <summary>The unit of its figure ("req/s", "msgs/s").</summary>
    public abstract string Unit { get; }

    public virtual WorkloadKind Kind => WorkloadKind.Throughput;

    /// <summary>What a server must serve to be measured on it.</summary>
    public abstract ServerFeatures Needs { get; }

    /// <summary>True when the ceiling server can run it, so rows near the generator's ceiling can be marked client-bound.</summary>
    public virtual bool HasCeiling => true;

    /// <summary>
    /// True when the report shows only the servers that serve what it needs (HTTP/2, which few servers speak): the others'
    /// "not supported" rows stay in results.json and are left out of its table, ratios and charts.
    /// </summary>
    public virtual bool OnlyWhereServed => false;

    /// <summary>True when the load generator counts the bytes on the wire, which the report then shows per message.</summary>
    public virtual bool CountsWireBytes => false;

    /// <summary>Null when <paramref name="context"/>'s server can be measured; otherwise why not (probed on the live server).</summary>
    public virtual Task<string?> UnavailableReasonAsync(WorkloadContext context, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>Warms up, measures, and returns the measurement.</summary>
    public abstract Task<Measurement> RunAsync(WorkloadContext context, CancellationToken cancellationToken);
}
