using System.Net;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.HttpListener;

/// <summary>Runs the application for one <see cref="HttpListenerContext"/> and carries out the host kit's decisions through HttpListener's response.</summary>
internal sealed class HttpListenerRequestHandler(Application application, ServerOptions options, WebSocketTracker tracker, ILogger logger)
{
    public async Task HandleAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var head = new ResponseHead();
        // HttpListener has no body-size limit of its own: the adapter enforces HostKit's.
        if (request.ContentLength64 > options.Limits.MaxRequestBodyBytes)
        {
            Reject(context, RequestRejection.BodyTooLarge);
            return;
        }
        var isHttp11 = request.ProtocolVersion >= HttpVersion.Version11;
        HttpListenerUpgrade? upgrade = null;
        if (WebSocketHandshake.IsRequested(request.HttpMethod, isHttp11, request.Headers["Upgrade"], request.Headers["Connection"]))
        {
            // Checked here with the host kit's rules: HttpListener's own check answers a bad handshake with 500.
            if (WebSocketHandshake.Validate(request.Headers["Sec-WebSocket-Version"], request.Headers["Sec-WebSocket-Key"]) is { } refused)
            {
                Reject(context, refused);
                return;
            }
            upgrade = new HttpListenerUpgrade(context, WebSocketHandshake.SubProtocols(request.Headers["Sec-WebSocket-Protocol"]), head, tracker, options.WebSockets, logger);
        }
        var environ = new HttpListenerEnviron(context, upgrade, stopping);
        var result = await ApplicationInvoker.InvokeAsync(application, environ, head, logger);
        switch (result.Outcome)
        {
            case ApplicationOutcome.WebSocket:
                await upgrade!.FinishAsync(result);
                break;
            case ApplicationOutcome.Reject:
                Reject(context, result.Rejection!.Value);
                break;
            case ApplicationOutcome.Fail:
                head.Set(500, HostResponses.ContentType);
                await RespondAsync(context, environ, head, Body.Of(HostResponses.InternalErrorBody));
                break;
            default:
                await RespondAsync(context, environ, head, result.Body);
                break;
        }
    }

    private async Task RespondAsync(HttpListenerContext context, HttpListenerEnviron environ, ResponseHead head, Body body)
    {
        var request = context.Request;
        var response = context.Response;
        var isHttp11 = request.ProtocolVersion >= HttpVersion.Version11;
        var plan = ResponsePlan.For(new RequestSummary(request.HttpMethod == "HEAD", isHttp11, request.KeepAlive), head, body);
        response.StatusCode = head.Status;
        foreach (var (name, value) in head.Headers)
        {
            if (ResponsePlan.IsFramingHeader(name))
                continue;
            // HttpListener owns Content-Type: it must go through its property.
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                response.ContentType = value;
            else
                response.AppendHeader(name, value);
        }
        response.KeepAlive = plan.KeepAlive;
        if (plan.ContentLength is { } length)
            response.ContentLength64 = length;
        else if (plan.Framing == BodyFraming.Chunked)
            response.SendChunked = true;
        try
        {
            await ResponseBodyWriter.WriteAsync(body, plan, new OutputSink(response.OutputStream), CancellationToken.None);
            Close(response);
        }
        catch (ClientDisconnectedException ex)
        {
            HostLog.ClientWentAway(logger, ex, environ.RequestMethod, environ.PathInfo);
            response.Abort();
        }
        catch (Exception ex)
        {
            HostLog.ApplicationFailedAfterStart(logger, ex, environ.RequestMethod, environ.PathInfo);
            response.Abort();
        }
    }

    private static void Close(HttpListenerResponse response)
    {
        try
        {
            response.Close();
        }
        catch (HttpListenerException ex)
        {
            throw new ClientDisconnectedException(ex);
        }
    }

    private static void Reject(HttpListenerContext context, RequestRejection reason)
    {
        var response = context.Response;
        try
        {
            var body = RequestRejections.Body(reason);
            response.StatusCode = RequestRejections.Status(reason);
            response.ContentType = RequestRejections.ContentType;
            foreach (var (name, value) in RequestRejections.ExtraHeaders(reason))
                response.AppendHeader(name, value);
            response.KeepAlive = false;
            response.Close(body.ToArray(), willBlock: false);
        }
        catch (Exception ex) when (ex is HttpListenerException or InvalidOperationException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    /// <summary>HttpListener's response stream as a body sink.</summary>
    private readonly struct OutputSink(Stream output) : IBodySink
    {
        public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            try
            {
                await output.WriteAsync(bytes, cancellationToken);
            }
            catch (HttpListenerException ex)
            {
                // The engine's way of saying the client went away.
                throw new IOException(ex.Message, ex);
            }
        }
    }
}
