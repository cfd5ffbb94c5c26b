using System.Net;
using System.Net.WebSockets;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// The websocket upgrade on HttpListener: <c>AcceptWebSocketAsync</c> does the handshake. HttpListener
/// takes a keep-alive interval but no pong timeout, so this host sends pings and cannot detect a silent peer.
/// </summary>
internal sealed class HttpListenerUpgrade(HttpListenerContext context, IReadOnlyList<string> subProtocols, ResponseHead head, HostRuntime runtime)
    : HostWebSocketUpgrade(subProtocols, head, runtime)
{
    protected override async ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        // When the client offered subprotocols and none is chosen, HttpListener answers with an empty
        // Sec-WebSocket-Protocol, which a client must take for a failed handshake (RFC 6455 4.1): it
        // only sees the offer through the request's headers, so take the offer away first.
        if (subProtocol is null)
            context.Request.Headers.Remove("Sec-WebSocket-Protocol");
        var accepted = await context.AcceptWebSocketAsync(subProtocol, Options.KeepAliveInterval);
        // HttpListener frames the websocket over a stream that does not own the socket: aborting the response closes it.
        return ClosingConnection(accepted.WebSocket, new HttpListenerResponseAdapter(context).Abort);
    }
}
