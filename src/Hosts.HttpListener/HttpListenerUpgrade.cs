using System.Net;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// The websocket upgrade on HttpListener: <c>AcceptWebSocketAsync</c> does the handshake; the
/// result is wrapped in the shared <see cref="WebSocketSession"/>. HttpListener takes a keep-alive
/// interval but no pong timeout, so this host sends pings and cannot detect a silent peer.
/// </summary>
internal sealed class HttpListenerUpgrade(HttpListenerContext context, WebSocketOptions options, WebSocketTracker tracker, ILogger logger) : WebSocketUpgrade
{
    public WebSocketSession? Session { get; private set; }

    public override IReadOnlyList<string> RequestedSubProtocols { get; } =
        context.Request.Headers["Sec-WebSocket-Protocol"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    protected override async ValueTask<IWebSocket> AcceptCoreAsync(string? subProtocol)
    {
        var accepted = await context.AcceptWebSocketAsync(subProtocol, options.KeepAliveInterval);
        Session = new WebSocketSession(accepted.WebSocket, options, logger);
        tracker.Add(Session);
        return Session;
    }
}
