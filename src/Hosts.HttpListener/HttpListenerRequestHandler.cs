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
        if (RequestSizeCheck.Check(request, runtime.Options.Limits) is { } refused)
        {
            await runtime.RefuseAsync(refused, response);
            return;
        }
        var head = new ResponseHead();
        HttpListenerUpgrade? upgrade = null;
        if (WebSocketHandshake.IsRequested(request.HttpMethod, request.ProtocolVersion >= System.Net.HttpVersion.Version11, request.Headers["Upgrade"], request.Headers["Connection"]))
        {
            // Checked here with the host kit's rules: HttpListener's own check answers a bad handshake with 500.
            if (WebSocketHandshake.Validate(request.Headers["Sec-WebSocket-Version"], request.Headers["Sec-WebSocket-Key"]) is { } badHandshake)
            {
                await runtime.RefuseAsync(badHandshake, response);
                return;
            }
            upgrade = new HttpListenerUpgrade(context, WebSocketHandshake.SubProtocols(request.Headers["Sec-WebSocket-Protocol"]), head, runtime);
        }
        var environ = new HttpListenerEnviron(context, upgrade, stopping, runtime.Options.Limits.MaxRequestBodyBytes);
        var result = await ApplicationInvoker.InvokeAsync(runtime, environ, head);
        await RequestPipeline.AnswerAsync(runtime, result, environ, head, response);
    }
}
