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

    public async Task ProcessRequestAsync(KestrelEnviron environ)
    {
        var features = environ.Features;
        // An HTTP/2 stream streams a body of unknown length as HTTP/1.1 does, and never closes the connection it shares.
        var response = new KestrelResponse(features, new RequestSummary(environ.RequestMethod == "HEAD", environ.IsHttp11 || environ.IsHttp2,
            environ.IsHttp2 || ClientKeepAlive.Wanted(environ.IsHttp11, environ.GetHeader("Connection"))), environ.IsHttp2);
        if (environ.FramingRejection() is { } ambiguous)
        {
            await runtime.RefuseAsync(ambiguous, response);
            return;
        }
        var offer = OfferWebSocket(environ);
        if (offer.Refusal is { } refused)
        {
            await runtime.RefuseAsync(refused, response);
            return;
        }
        if (offer.Upgrade is { } upgrade)
            environ.Offer(upgrade);
        var result = await ApplicationInvoker.InvokeAsync(runtime, environ, environ.Head, environ.ClassifyBodyError);
        await RequestPipeline.AnswerAsync(runtime, result, environ, environ.Head, response);
    }

    /// <summary>A websocket over HTTP/1.1 is an upgrade (101), over HTTP/2 an extended CONNECT (RFC 8441): the kit's offer step for each.</summary>
    private WebSocketOffer OfferWebSocket(KestrelEnviron environ) => environ.IsHttp2
        ? WebSocketOffer.ForExtendedConnect(environ, KestrelExtendedConnect.IsRequested(environ.Features), (environ, runtime),
            static (handshake, request) => new KestrelExtendedConnect(request.environ.Features, handshake, request.environ.Head, request.runtime)
            {
                RequestedExtensions = handshake.Extensions,
            })
        : WebSocketOffer.For(environ, WebSocketOffer.IsRequested(environ) && environ.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true },
            (environ, runtime), static (handshake, request) => new KestrelUpgrade(request.environ.Features, handshake, request.environ.Head, request.runtime)
            {
                RequestedExtensions = handshake.Extensions,
            });
}
