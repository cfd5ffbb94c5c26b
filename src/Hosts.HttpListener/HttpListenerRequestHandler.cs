using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>Runs the application for one <see cref="HttpListenerContext"/>: what HttpListener does not check is checked here, the rest is the host kit's.</summary>
internal sealed class HttpListenerRequestHandler(HostRuntime runtime)
{
    public async Task HandleAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        if (EngineLengthRequired.WasAnswered(request))
        {
            runtime.Rejected(RequestRejection.LengthRequired);
            return;
        }
        var response = new HttpListenerResponseAdapter(context);
        var environ = new HttpListenerEnviron(context, stopping, runtime.Options.Limits.MaxRequestBodyBytes);
        // HttpListener enforces none of the size limits, nor the target's bytes: the kit's rules, as on every host.
        var refused = EngineHeadLimits.Check(request.HttpMethod, request.RawUrl, environ.Headers, environ.ContentLength, runtime.Options.Limits);
        var head = new ResponseHead();
        await RequestPipeline.ServeAsync(runtime, environ, head, response, refused, (context, environ, head, runtime), OfferWebSocket);
    }

    /// <summary>Checked with the host kit's rules: HttpListener's own check answers a bad handshake with 500.</summary>
    private static WebSocketOffer OfferWebSocket((HttpListenerContext Context, HttpListenerEnviron Environ, ResponseHead Head, HostRuntime Runtime) request) =>
        WebSocketOffer.For(request.Environ, WebSocketOffer.IsRequested(request.Environ), request,
            static (handshake, request) => new HttpListenerUpgrade(request.Context, handshake.SubProtocols, request.Head, request.Runtime));
}
