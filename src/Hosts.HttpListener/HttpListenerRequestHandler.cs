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
        if (EngineHeadLimits.Check(request.HttpMethod, request.RawUrl, environ.Headers, environ.ContentLength, runtime.Options.Limits) is { } refused)
        {
            await runtime.RefuseAsync(refused, response);
            return;
        }
        var head = new ResponseHead();
        // Checked with the host kit's rules: HttpListener's own check answers a bad handshake with 500.
        var offer = WebSocketOffer.For(environ, WebSocketOffer.IsRequested(environ), (context, head, runtime),
            static (handshake, request) => new HttpListenerUpgrade(request.context, handshake.SubProtocols, request.head, request.runtime));
        if (offer.Refusal is { } badHandshake)
        {
            await runtime.RefuseAsync(badHandshake, response);
            return;
        }
        environ.Offer(offer.Upgrade);
        var result = await ApplicationInvoker.InvokeAsync(runtime, environ, head);
        await RequestPipeline.AnswerAsync(runtime, result, environ, head, response);
    }
}
