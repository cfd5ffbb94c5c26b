using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The options <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> gets for HostKit's
/// <see cref="WebSocketOptions"/>: keep-alive ping every interval, and the pong timeout unless pings are off.
/// </summary>
internal static class EngineOptions
{
    // One per server's settings for the usual websocket without a subprotocol, rather than one per connection: the engine
    // reads them once, when it is made, and nothing changes them.
    private static readonly ConditionalWeakTable<WebSocketOptions, WebSocketCreationOptions> WithoutSubProtocol = [];

    public static WebSocketCreationOptions For(WebSocketOptions options, string? subProtocol, PerMessageDeflate? compression = null) =>
        subProtocol is null && compression is null ? WithoutSubProtocol.GetValue(options, static o => Create(o, null, null)) : Create(options, subProtocol, compression);

    private static WebSocketCreationOptions Create(WebSocketOptions options, string? subProtocol, PerMessageDeflate? compression) => new()
    {
        IsServer = true,
        SubProtocol = subProtocol,
        KeepAliveInterval = options.KeepAliveInterval,
        KeepAliveTimeout = options.KeepAliveInterval == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : options.KeepAliveTimeout,
        DangerousDeflateOptions = compression?.EngineOptions,
    };
}
