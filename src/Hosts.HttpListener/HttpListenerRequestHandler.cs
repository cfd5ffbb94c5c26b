using System.Net;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.HttpListener;

/// <summary>Runs the application for one <see cref="HttpListenerContext"/> and writes what it returns.</summary>
internal sealed class HttpListenerRequestHandler(Application application, ServerOptions options, WebSocketTracker tracker, ILogger logger)
{
    private static readonly byte[] InternalErrorBody = "500 Internal Server Error\n"u8.ToArray();
    private static readonly byte[] TooLargeBody = "413 Content Too Large: request body too large\n"u8.ToArray();

    public async Task HandleAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var request = context.Request;
        var response = context.Response;
        // HttpListener has no body-size limit of its own: the adapter enforces HostKit's.
        if (request.ContentLength64 > options.Limits.MaxRequestBodyBytes)
        {
            await WriteAndCloseAsync(response, 413, TooLargeBody, keepAlive: false);
            return;
        }
        var upgrade = request.IsWebSocketRequest ? new HttpListenerUpgrade(context, options.WebSockets, tracker, logger) : null;
        var environ = new HttpListenerEnviron(context, upgrade, stopping);
        var head = new ResponseHead();
        var (body, failure) = await ApplicationInvoker.InvokeAsync(application, environ, head);
        if (upgrade?.Session is { } session)
        {
            await body.DiscardAsync();
            await FinishWebSocketAsync(session, failure);
            return;
        }
        if (failure is not null)
        {
            HostLog.ApplicationFailed(logger, failure, environ.RequestMethod, environ.PathInfo);
            await WriteAndCloseAsync(response, 500, InternalErrorBody, keepAlive: true);
            return;
        }
        await WriteResponseAsync(context, head, body, environ);
    }

    private async Task WriteResponseAsync(HttpListenerContext context, ResponseHead head, Body body, HttpListenerEnviron environ)
    {
        var response = context.Response;
        response.StatusCode = head.Status;
        foreach (var (name, value) in head.Headers)
            SetHeader(response, name, value);
        if (body.Length is { } length)
            response.ContentLength64 = length;
        else
            response.SendChunked = context.Request.ProtocolVersion >= HttpVersion.Version11;

        if (context.Request.HttpMethod == "HEAD" || body.Kind == BodyKind.Empty)
        {
            await body.DiscardAsync();
            response.Close();
            return;
        }
        try
        {
            var output = response.OutputStream;
            if (body.Kind == BodyKind.Buffer)
                await output.WriteAsync(body.Buffer);
            else
                await body.WriteToAsync(async (chunk, ct) => await output.WriteAsync(chunk, ct), CancellationToken.None);
            response.Close();
        }
        catch (Exception ex) when (ex is not HttpListenerException)
        {
            HostLog.ApplicationFailedAfterStart(logger, ex, environ.RequestMethod, environ.PathInfo);
            response.Abort();
        }
        catch (HttpListenerException)
        {
            // The client went away mid-response.
            response.Abort();
        }
    }

    /// <summary>HttpListener owns some headers: route them to its properties instead of the header collection.</summary>
    private static void SetHeader(HttpListenerResponse response, string name, string value)
    {
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            response.ContentType = value;
        else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            response.KeepAlive = !value.Contains("close", StringComparison.OrdinalIgnoreCase);
        else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            return; // framing follows from the body
        else
            response.AppendHeader(name, value);
    }

    private static async Task WriteAndCloseAsync(HttpListenerResponse response, int status, byte[] body, bool keepAlive)
    {
        try
        {
            response.StatusCode = status;
            response.ContentType = "text/plain; charset=utf-8";
            response.ContentLength64 = body.Length;
            response.KeepAlive = keepAlive;
            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or InvalidOperationException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    private async Task FinishWebSocketAsync(WebSocketSession session, Exception? error)
    {
        try
        {
            await session.FinishAsync(error);
        }
        finally
        {
            tracker.Remove(session);
        }
    }
}
