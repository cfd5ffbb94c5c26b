namespace HostKit.Hosts.Protocol;

/// <summary>
/// Request limits and timeouts, the same on every host that enforces them. Defaults follow Kestrel's
/// where it has one. docs/limits.md says, for each host, whether the engine, the adapter, or nobody enforces each.
/// </summary>
public sealed record HttpLimits
{
    /// <summary>Longest request line (method, target, version); longer gets 414. Default 8 KiB.</summary>
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>Largest total size of the header block; larger gets 431. Default 32 KiB (Kestrel's).</summary>
    public int MaxRequestHeadersBytes { get; init; } = 32 * 1024;

    /// <summary>Most header fields; more gets 431. Default 100 (Kestrel's).</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Largest request body; larger gets 413. Null for no limit. Default 30,000,000 bytes (Kestrel's).</summary>
    public long? MaxRequestBodyBytes { get; init; } = 30_000_000;

    /// <summary>How long a client may take to send a request's headers before it is cut off. Default 30 s (Kestrel's).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection is kept open. Default 130 s (Kestrel's).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>
    /// Most connections open at once; one more is answered 503 and closed at once. Upgraded websockets count.
    /// Null (the default): what the process's file descriptors allow, less a reserve (<c>DescriptorBudget</c>),
    /// so that the server refuses connections instead of running out of descriptors; <c>HostRuntime.ConnectionLimit</c>
    /// is the value in force.
    /// </summary>
    public long? MaxConcurrentConnections { get; init; }

    /// <summary>The defaults.</summary>
    public static HttpLimits Default { get; } = new();
}
