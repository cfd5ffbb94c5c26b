using System.Net;
using System.Net.WebSockets;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// HttpListener's websocket, which also closes the TCP connection when it is aborted or disposed. HttpListener frames
/// the websocket over a stream that does not own the socket, so the engine's own <see cref="WebSocket.Abort"/> leaves
/// the connection open: a read or a write stuck on it (a peer that stopped reading, or stopped talking) would wait
/// forever, and the session could never drop a connection it gave up on. Aborting the response closes the socket.
/// </summary>
internal sealed class ConnectionClosingWebSocket(WebSocket inner, HttpListenerContext context) : WebSocket
{
    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override void Abort()
    {
        inner.Abort();
        CloseConnection();
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
        CloseConnection();
    }

    private void CloseConnection()
    {
        try
        {
            context.Response.Abort();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or HttpListenerException)
        {
            // Closed already.
        }
    }
}
