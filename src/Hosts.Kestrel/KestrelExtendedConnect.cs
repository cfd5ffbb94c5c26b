using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// A websocket over HTTP/2 (RFC 8441): an extended CONNECT with <c>:protocol</c> <c>websocket</c>, which Kestrel accepts with
/// a 200 and a stream of its own (no 101, no key). The application sees the same offer (the kit's offer step,
/// <see cref="WebSocketOffer.ForExtendedConnect"/>) and gets the same <see cref="IWebSocket"/> as over HTTP/1.1, framed by
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> over the HTTP/2 stream; its
/// <see cref="Environ.RequestMethod"/> is <c>CONNECT</c>, as sent.
/// </summary>
internal sealed class KestrelExtendedConnect(IFeatureCollection features, WebSocketHandshakeRequest handshake, ResponseHead head, HostRuntime runtime)
    : HostWebSocketUpgrade(handshake.SubProtocols, head, runtime)
{
    /// <summary>True when the request is an extended CONNECT for a websocket, as Kestrel reports it (<c>:protocol</c>, any case).</summary>
    public static bool IsRequested(IFeatureCollection features) =>
        features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: { } protocol } &&
        protocol.Equals("websocket", StringComparison.OrdinalIgnoreCase);

    protected override async ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        var headers = features.GetRequiredFeature<IHttpResponseFeature>().Headers;
        if (subProtocol is not null)
            headers.SecWebSocketProtocol = subProtocol;
        if (Compression is not null)
            headers.SecWebSocketExtensions = Compression.ResponseHeader;
        // Kestrel answers 200 and hands over the stream's data frames; aborting the request resets this stream only.
        var stream = await features.GetRequiredFeature<IHttpExtendedConnectFeature>().AcceptAsync();
        return CreateFromStream(stream, subProtocol, features.GetRequiredFeature<IHttpRequestLifetimeFeature>().Abort);
    }
}
