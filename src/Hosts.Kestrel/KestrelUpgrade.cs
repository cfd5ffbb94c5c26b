using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The websocket upgrade on Kestrel: ASP.NET Core's <c>AcceptWebSocketAsync</c> does the handshake,
/// with HostKit's keep-alive ping and pong timeout; the result is wrapped in the shared <see cref="WebSocketSession"/>.
/// </summary>
internal sealed class KestrelUpgrade(HttpContext context, WebSocketOptions options, WebSocketTracker tracker, ILogger logger) : WebSocketUpgrade
{
    /// <summary>The accepted socket, once accepted.</summary>
    public WebSocketSession? Session { get; private set; }

    public override IReadOnlyList<string> RequestedSubProtocols { get; } = [.. context.WebSockets.WebSocketRequestedProtocols];

    protected override async ValueTask<IWebSocket> AcceptCoreAsync(string? subProtocol)
    {
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = subProtocol,
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveInterval == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : options.KeepAliveTimeout,
        });
        Session = new WebSocketSession(socket, options, logger);
        tracker.Add(Session);
        return Session;
    }
}
