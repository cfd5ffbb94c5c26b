using System.Net.WebSockets;

namespace HostKit;

/// <summary>
/// The one websocket interface every host hands to applications: whole messages in and out,
/// safe concurrent sends with a bounded buffer, dead-peer detection, and defined behaviour
/// after close. See docs/websockets.md for the guarantees.
/// </summary>
public interface IWebSocket
{
    /// <summary>The subprotocol agreed in the handshake, or null.</summary>
    string? SubProtocol { get; }

    /// <summary>The engine's view of the connection state.</summary>
    WebSocketState State { get; }

    /// <summary>
    /// Why the socket closed, once it has: the code from the close frame (sent or received),
    /// or 1006 (abnormal closure) when the connection dropped or the peer stopped answering pings. Null while open.
    /// </summary>
    WebSocketCloseStatus? CloseStatus { get; }

    /// <summary>The close reason that came with <see cref="CloseStatus"/>, or null.</summary>
    string? CloseStatusDescription { get; }

    /// <summary>Bytes accepted by <see cref="SendAsync"/> or <see cref="TrySend"/> and not yet written to the connection.</summary>
    long BufferedBytes { get; }

    /// <summary>
    /// Receives the next whole message, reassembled from its frames, or null once the peer closed,
    /// the connection dropped, or the message exceeded the host's maximum size (then the socket is
    /// closed with 1009). Once it has returned null it keeps returning null. One receive at a time.
    /// </summary>
    ValueTask<WebSocketMessage?> ReceiveAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends one message, whole and unmixed with others; safe to call from many tasks at once.
    /// Messages go out in the order the calls were made. Completes when the message is written,
    /// so a loop of sends waits for a slow peer (backpressure); a send that would take the send buffer
    /// over the host's limit waits for room first, so many concurrent senders stay within it too.
    /// Await the returned task once (it may be pooled).
    /// </summary>
    /// <exception cref="WebSocketClosedException">The socket is closed or closing.</exception>
    ValueTask SendAsync(WebSocketMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues one message without waiting, for broadcast. Returns false, queueing nothing, when the
    /// send buffer is full (the host's <c>MaxBufferedBytes</c> or <c>MaxBufferedMessages</c>) or the socket is closed:
    /// the caller may drop the message or disconnect the slow peer.
    /// </summary>
    bool TrySend(WebSocketMessage message);

    /// <summary>
    /// Starts or completes the close handshake with <paramref name="status"/> and waits (up to the
    /// host's close timeout) for the peer's close frame. Harmless when already closed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is longer than 123 UTF-8 bytes, or <paramref name="status"/> may not be sent.</exception>
    ValueTask CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Drops the connection at once, without a close handshake. <see cref="CloseStatus"/> becomes 1006.</summary>
    void Abort();
}
