using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>Runs the application for one <see cref="HttpListenerContext"/>: what HttpListener does not check is checked here, the rest is the host kit's.</summary>
internal sealed class HttpListenerRequestHandler(HostRuntime runtime)
{
    public async Task HandleAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var response = new HttpListenerResponseAdapter(context);
        // HttpListener has no body-size limit of its own: the adapter enforces HostKit's.
        if (request.ContentLength64 > runtime.Options.Limits.MaxRequestBodyBytes)
        {
            runtime.Metrics.Rejected(RequestRejection.BodyTooLarge);
            await response.RejectAsync(RequestRejection.BodyTooLarge);
            return;
        }
        var head = new ResponseHead();
        HttpListenerUpgrade? upgrade = null;
        if (WebSocketHandshake.IsRequested(request.HttpMethod, request.ProtocolVersion >= HttpVersion.Version11, request.Headers["Upgrade"], request.Headers["Connection"]))
        {
            // Checked here with the host kit's rules: HttpListener's own check answers a bad handshake with 500.
            if (WebSocketHandshake.Validate(request.Headers["Sec-WebSocket-Version"], request.Headers["Sec-WebSocket-Key"]) is { } refused)
            {
                runtime.Metrics.Rejected(refused);
                await response.RejectAsync(refused);
                return;
            }
            upgrade = new HttpListenerUpgrade(context, WebSocketHandshake.SubProtocols(request.Headers["Sec-WebSocket-Protocol"]), head, runtime);
        }
        var environ = new HttpListenerEnviron(context, upgrade, stopping);
        var result = await ApplicationInvoker.InvokeAsync(runtime, environ, head);
        await RequestPipeline.AnswerAsync(runtime, result, environ, head, response);
    }
}
