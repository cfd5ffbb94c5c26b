using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The websocket upgrade on Kestrel, through its upgrade feature: the handshake headers from the
/// host kit's <see cref="WebSocketHandshake"/>, Kestrel's <c>UpgradeAsync</c> for the 101 and the opaque
/// stream, and <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> for the framing
/// (what ASP.NET Core's websocket middleware does, without the middleware).
/// </summary>
internal sealed class KestrelUpgrade(IFeatureCollection features, string key, IReadOnlyList<string> subProtocols, ResponseHead head, HostRuntime runtime)
    : HostWebSocketUpgrade(subProtocols, head, runtime)
{
    protected override async ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        var headers = features.GetRequiredFeature<IHttpResponseFeature>().Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = WebSocketHandshake.AcceptKey(key);
        if (subProtocol is not null)
            headers.SecWebSocketProtocol = subProtocol;
        if (Compression is not null)
            headers.SecWebSocketExtensions = Compression.ResponseHeader;
        var stream = new AbortOnDisposeStream(await features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync(), features.GetRequiredFeature<IHttpRequestLifetimeFeature>());
        return stream.Socket = CreateFromStream(stream, subProtocol);
    }
}
