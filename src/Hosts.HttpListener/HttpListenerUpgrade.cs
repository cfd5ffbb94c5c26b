using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// The websocket upgrade on HttpListener: <c>AcceptWebSocketAsync</c> does the handshake. HttpListener
/// takes a keep-alive interval but no pong timeout, so this host sends pings and cannot detect a silent peer.
/// </summary>
internal sealed class HttpListenerUpgrade(HttpListenerContext context, IReadOnlyList<string> subProtocols, ResponseHead head, WebSocketTracker tracker, WebSocketOptions options, ILogger logger)
    : HostWebSocketUpgrade(subProtocols, head, tracker, options, logger)
{
    protected override async ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        var accepted = await context.AcceptWebSocketAsync(subProtocol, Options.KeepAliveInterval);
        return accepted.WebSocket;
    }
}
