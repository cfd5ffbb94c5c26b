namespace HostKit.Bench.Servers;

/// <summary>A server the benchmark can start: how to run it on a port, and whether it can run here at all.</summary>
/// <param name="Name">The name in <c>--hosts</c> and in the report (a HostKit host keeps its registry name).</param>
/// <param name="Group">HostKit host, baseline, or ceiling.</param>
/// <param name="Description">What it is, for the report (engine, stack and versions).</param>
/// <param name="Features">What it serves.</param>
/// <param name="Command">The program and arguments that serve the Demo routes on 127.0.0.1 at the given port.</param>
/// <param name="MissingReason">Why it cannot run here ("not installed: ..."), or null when it can.</param>
/// <param name="WorkingDirectory">Where to start it (the Python and Node apps import from their folder).</param>
internal sealed record ServerSpec(
    string Name,
    ServerGroup Group,
    string Description,
    ServerFeatures Features,
    Func<int, IReadOnlyList<string>> Command,
    string? MissingReason = null,
    string? WorkingDirectory = null)
{
    /// <summary>True when the server is there to be started.</summary>
    public bool IsAvailable => MissingReason is null;

    /// <summary>For a server that is another with one operator feature on: which, and the feature. Null for every other server.</summary>
    public ServerVariant? Variant { get; init; }

    /// <summary><c>http</c>, or <c>https</c> for a server that serves TLS only: what the readiness probe and wrk speak to it.</summary>
    public string Scheme { get; init; } = "http";

    /// <summary>Why the server lacks what <see cref="Features"/> leaves out, for the rows it cannot be measured on; null: the generic note.</summary>
    public string? Limitation { get; init; }

    /// <summary>
    /// A file the server's standard output goes to instead of the runner's log (the access log's lines, as an operator's
    /// <c>&gt; file</c> sends them), emptied at each start and deleted when the server stops; null: to the log.
    /// </summary>
    public string? StandardOutputFile { get; init; }
}
