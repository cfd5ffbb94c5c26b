using System.Net.WebSockets;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// An engine's own websocket that also closes its connection when it is aborted or disposed, for an engine that frames
/// the websocket over a stream that does not own the socket (HttpListener's): there the engine's <see cref="WebSocket.Abort"/>
/// leaves the connection open, a read or a write stuck on it (a peer that stopped reading, or stopped talking) would wait
/// forever, and the session could never drop a connection it gave up on. The host's <c>closeConnection</c> drops it.
/// (A websocket the kit frames itself gets the same from <see cref="WebSocketConnectionStream"/>.)
/// </summary>
internal sealed class ConnectionClosingWebSocket(WebSocket inner, Action closeConnection) : WebSocket
{
    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override void Abort()
    {
        inner.Abort();
        closeConnection();
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(buffer, cancellationToken);

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, messageFlags, cancellationToken);

    /// <summary>The websocket is done with (its close handshake over, or given up): the connection cannot carry HTTP again, so it is closed.</summary>
    public override void Dispose()
    {
        inner.Dispose();
        closeConnection();
    }
}
