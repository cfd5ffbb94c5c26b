namespace HostKit;

/// <summary>How a websocket route accepts upgrades.</summary>
public sealed record WebSocketRouteOptions
{
    /// <summary>The subprotocols this route speaks, best first. The first one the client also offered is chosen; none when empty or no match.</summary>
    public IReadOnlyList<string> SubProtocols { get; init; } = [];

    /// <summary>
    /// Decides before the handshake whether to accept (return null) or refuse with a status
    /// (auth, origin, bad query). Runs on every upgrade to this route.
    /// </summary>
    public Func<Environ, ValueTask<WebSocketRefusal?>>? Authorize { get; init; }

    /// <summary>
    /// The largest message this route accepts, in bytes; null for the host's limit. Known before the bytes arrive, so the
    /// host applies it as they do: a message over it closes the socket with 1009 (at its frame header on the hosts that read
    /// headers) and no more than the limit of it is ever buffered.
    /// </summary>
    public int? MaxMessageBytes { get; init; }
}
