namespace HostKit.Hosts.Protocol;

/// <summary>
/// Where a <c>WebSocketSession</c> stands in the close handshake, after wsproto's
/// <c>ConnectionState</c>. It only moves forward, and only through <see cref="SessionStateMachine"/>;
/// docs/websockets.md has the table of what receive, send and close do in each state.
/// </summary>
internal enum SessionState
{
    /// <summary>Messages flow both ways.</summary>
    Open,

    /// <summary>Our close frame is queued or sent; the peer's has not arrived.</summary>
    LocalClosing,

    /// <summary>The peer's close frame arrived first; our answer is not queued yet.</summary>
    RemoteClosing,

    /// <summary>Both close frames are settled: the peer's has arrived and ours is the last thing queued.</summary>
    Closed,

    /// <summary>The connection dropped, or was dropped, before the handshake completed.</summary>
    Aborted,
}
