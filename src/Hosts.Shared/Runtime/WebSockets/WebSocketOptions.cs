namespace HostKit.Hosts.Runtime;

/// <summary>
/// The websocket settings every host applies through the shared <see cref="WebSocketSession"/>.
/// </summary>
public sealed record WebSocketOptions
{
    /// <summary>
    /// Largest message accepted, in bytes; a larger one closes the socket with 1009. Default 4 MiB. A route may set a smaller
    /// one (<see cref="WebSocketRouteOptions.MaxMessageBytes"/>). Applied as the bytes arrive (never more than the limit is
    /// buffered) and, on the hosts that read frame headers (<see cref="HostCapabilities.WebSocketFrameHeaderLimits"/>), to the
    /// length a header declares, before its payload is read.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long a message may take from its first frame to its last: one whose last fragment does not come, or whose frame
    /// stops short, closes the socket with 1008 when this runs out. <see cref="Timeout.InfiniteTimeSpan"/> waits for ever. Default 30 s.
    /// </summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most bytes a socket holds queued but not yet written: beyond it <see cref="IWebSocket.TrySend"/> says no and <see cref="IWebSocket.SendAsync"/> waits for room. Default 4 MiB. A single larger message is still accepted into an empty queue.</summary>
    public long MaxBufferedBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most messages a socket holds queued but not yet written: beyond it <see cref="IWebSocket.TrySend"/> says no and <see cref="IWebSocket.SendAsync"/> waits for room. Default 1024.</summary>
    public int MaxBufferedMessages { get; init; } = 1024;

    /// <summary>How often a ping is sent to check the peer is alive. <see cref="TimeSpan.Zero"/> turns keep-alive off. Default 30 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the pong before the peer is taken for dead and the connection aborted (close status 1006). <see cref="Timeout.InfiniteTimeSpan"/> only sends pings. Default 30 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a close may take, from queueing our close frame to reading the peer's, before the connection is dropped. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Accept <c>permessage-deflate</c> (RFC 7692) when a client offers it, on hosts that declare
    /// <see cref="HostCapabilities.WebSocketCompression"/>. Off by default: each compressed message costs
    /// zlib's set-up and CPU, small messages (a chat's) gain little from it, and compressing secrets
    /// together with text an attacker chooses leaks them through the length (docs/websockets.md).
    /// </summary>
    public bool Compression { get; init; }

    /// <summary>
    /// With <see cref="Compression"/>, keep each side's compression context from one message to the next:
    /// better ratios on many similar messages, at about 340 KiB of zlib state per open websocket. Off by
    /// default, so a compressed websocket holds zlib's state only while a message is in flight.
    /// </summary>
    public bool CompressionContextTakeover { get; init; }

    /// <summary>The defaults.</summary>
    public static WebSocketOptions Default { get; } = new();
}
