using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// A websocket over HTTP/2 (RFC 8441): an extended CONNECT with <c>:protocol</c> <c>websocket</c>, which Kestrel accepts with
/// a 200 and a stream of its own (no 101, no key). The application sees the same offer and gets the same <see cref="IWebSocket"/>
/// as over HTTP/1.1, framed by <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> over the HTTP/2 stream;
/// its <see cref="Environ.RequestMethod"/> is <c>CONNECT</c>, as sent.
/// </summary>
internal sealed class KestrelExtendedConnect(IFeatureCollection features, IReadOnlyList<string> subProtocols, ResponseHead head, HostRuntime runtime)
    : HostWebSocketUpgrade(subProtocols, head, runtime)
{
    /// <summary>
    /// Offers the upgrade when <paramref name="environ"/> is a websocket extended CONNECT; returns why it is refused (a version
    /// other than 13) or null, also when the request is no such CONNECT.
    /// </summary>
    public static RequestRejection? Offer(KestrelEnviron environ, HostRuntime runtime)
    {
        if (environ.Features.Get<IHttpExtendedConnectFeature>() is not { IsExtendedConnect: true, Protocol: { } protocol } ||
            !protocol.Equals("websocket", StringComparison.OrdinalIgnoreCase))
            return null;
        if (WebSocketHandshake.ValidateVersion(environ.GetHeader("Sec-WebSocket-Version")) is { } refused)
            return refused;
        environ.Offer(new KestrelExtendedConnect(environ.Features, WebSocketHandshake.SubProtocols(environ.GetHeader("Sec-WebSocket-Protocol")), environ.Head, runtime)
        {
            RequestedExtensions = environ.GetHeader("Sec-WebSocket-Extensions"),
        });
        return null;
    }

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
