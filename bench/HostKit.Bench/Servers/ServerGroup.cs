namespace HostKit.Bench.Servers;

/// <summary>What a server is to the report: a HostKit host, a baseline it is compared with, or the generators' ceiling.</summary>
internal enum ServerGroup
{
    /// <summary>The Demo on one of HostKit's hosts (found with <c>--host list</c>).</summary>
    HostKit,

    /// <summary>The same routes written straight on ASP.NET Core: the cost of the abstraction is the ratio to it.</summary>
    Bare,

    /// <summary>A Python stack HostKit's users come from.</summary>
    Python,

    /// <summary>Node with the ws package.</summary>
    Node,

    /// <summary>
    /// A HostKit host with one operator feature on (TLS, the access log, OpenTelemetry): run only when asked for
    /// (<c>--hosts operator-costs</c> or by name), and read against the same host without it.
    /// </summary>
    OperatorVariant,

    /// <summary>The trivial C server that measures what each load generator can drive.</summary>
    Ceiling,
}
