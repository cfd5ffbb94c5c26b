namespace HostKit.Hosts.Protocol;

/// <summary>What moves a <see cref="SessionState"/> on.</summary>
internal enum SessionEvent
{
    /// <summary>Our close frame joined the send queue (the application's close, a 1009, the handler's end, a server stop, or the answer to the peer's close).</summary>
    LocalCloseStarted,

    /// <summary>The peer's close frame was read.</summary>
    PeerCloseReceived,

    /// <summary>The connection is gone without a complete handshake: a drop, <see cref="IWebSocket.Abort"/>, a failed write, a missed pong, or a close that timed out.</summary>
    ConnectionLost,
}
