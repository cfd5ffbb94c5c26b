using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The HostKit application as Kestrel's <see cref="IHttpApplication{TContext}"/>: Kestrel calls it for
/// each request with its feature collection, and it carries out the host kit's decisions through the
/// request and response features. No <c>HttpContext</c>, no middleware pipeline, no DI in between.
/// </summary>
internal sealed class KestrelApplication(HostRuntime runtime) : IHttpApplication<KestrelEnviron>
{
    public KestrelEnviron CreateContext(IFeatureCollection contextFeatures)
    {
        // Kestrel keeps a slot per connection for the context: one environ serves all its requests.
        var environ = contextFeatures is IHostContextContainer<KestrelEnviron> container
            ? container.HostContext ??= new KestrelEnviron()
            : new KestrelEnviron();
        environ.Begin(contextFeatures);
        return environ;
    }

    public void DisposeContext(KestrelEnviron context, Exception? exception)
    {
    }

    /// <remarks>
    /// Not a state machine itself: the kit's steps are (<see cref="RequestPipeline.ServeAsync"/>), and a request that has to
    /// wait allocates theirs only. The offer step is a static method and its state a tuple: no closure per request.
    /// </remarks>
    public Task ProcessRequestAsync(KestrelEnviron environ)
    {
        // An HTTP/2 stream streams a body of unknown length as HTTP/1.1 does, and never closes the connection it shares.
        var response = new KestrelResponse(environ.Features, new RequestSummary(environ.RequestMethod == "HEAD", environ.IsHttp11 || environ.IsHttp2,
            environ.IsHttp2 || ClientKeepAlive.Wanted(environ.IsHttp11, environ.GetHeader("Connection"))), environ.IsHttp2);
        // Kestrel is more lenient with framing than the kit: what it let through and the kit forbids is refused first.
        return RequestPipeline.ServeAsync(runtime, environ, environ.Head, response, environ.FramingRejection(), (environ, runtime), OfferWebSocket,
            environ.ClassifyBodyError).AsTask();
    }

    /// <summary>A websocket over HTTP/1.1 is an upgrade (101), over HTTP/2 an extended CONNECT (RFC 8441): the kit's offer step for each.</summary>
    private static WebSocketOffer OfferWebSocket((KestrelEnviron Environ, HostRuntime Runtime) request) => request.Environ.IsHttp2
        ? WebSocketOffer.ForExtendedConnect(request.Environ, KestrelExtendedConnect.IsRequested(request.Environ.Features), request,
            static (handshake, request) => new KestrelExtendedConnect(request.Environ.Features, handshake, request.Environ.Head, request.Runtime)
            {
                RequestedExtensions = handshake.Extensions,
            })
        : WebSocketOffer.For(request.Environ, WebSocketOffer.IsRequested(request.Environ) && request.Environ.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true },
            request, static (handshake, request) => new KestrelUpgrade(request.Environ.Features, handshake, request.Environ.Head, request.Runtime)
            {
                RequestedExtensions = handshake.Extensions,
            });
}
