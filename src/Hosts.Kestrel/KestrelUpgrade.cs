using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The websocket upgrade on Kestrel, through its upgrade feature: the handshake headers from the
/// host kit's <see cref="WebSocketHandshake"/>, Kestrel's <c>UpgradeAsync</c> for the 101 and the opaque
/// stream, and <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/> for the framing
/// (what ASP.NET Core's websocket middleware does, without the middleware).
/// </summary>
internal sealed class KestrelUpgrade(IFeatureCollection features, WebSocketHandshakeRequest handshake, ResponseHead head, HostRuntime runtime)
    : HostWebSocketUpgrade(handshake.SubProtocols, head, runtime)
{

    protected override async ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        var headers = features.GetRequiredFeature<IHttpResponseFeature>().Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = WebSocketHandshake.AcceptKey(handshake.Key);
        if (subProtocol is not null)
            headers.SecWebSocketProtocol = subProtocol;
        if (Compression is not null)
            headers.SecWebSocketExtensions = Compression.ResponseHeader;
        // Kestrel's upgraded stream does nothing when disposed (it cannot tell a close from an abort): a websocket that is
        // dropped (a peer that stopped answering pings) aborts the request, as ASP.NET Core's websocket middleware does.
        // The abort also throws away what is still in the output pipe, so after our close frame it waits (see CreateFromStream).
        var stream = await features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync();
        var abortRequest = features.GetRequiredFeature<IHttpRequestLifetimeFeature>().Abort;
        return CreateFromStream(stream, subProtocol, abortRequest, AbortAfterClose(features) ?? abortRequest);
    }

    /// <summary>
    /// The end of a connection whose close frame went unanswered, seconds later: the transport's abort (the connection's
    /// <see cref="IConnectionLifetimeFeature"/>, which Kestrel's request features hand on), not the request's. Kestrel logs the
    /// request's as "the application aborted the connection" (Information, event 34 <c>ApplicationAbortedConnection</c>, category
    /// <c>Microsoft.AspNetCore.Server.Kestrel.Connections</c>) even when the connection is long closed, as it usually is by then:
    /// a normal end that read like an error. An abort of a dropped websocket (no close frame) still goes through the request, and is logged.
    /// </summary>
    private static Action? AbortAfterClose(IFeatureCollection features) => features.Get<IConnectionLifetimeFeature>() is { } connection ? connection.Abort : null;
}
