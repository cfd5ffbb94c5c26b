using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The only middleware in the Kestrel pipeline: turns an <see cref="HttpContext"/> into an
/// <see cref="Environ"/>, runs the application, and writes what it returns.
/// </summary>
internal sealed class KestrelRequestHandler(Application application, ServerOptions options, WebSocketTracker tracker, ILogger logger)
{
    private static readonly byte[] InternalErrorBody = "500 Internal Server Error\n"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        var upgrade = context.WebSockets.IsWebSocketRequest ? new KestrelUpgrade(context, options.WebSockets, tracker, logger) : null;
        var environ = new KestrelEnviron(context, upgrade);
        var head = new ResponseHead();
        var (body, failure) = await ApplicationInvoker.InvokeAsync(application, environ, head);
        if (failure is not null)
        {
            await FailAsync(context, upgrade, failure, environ);
            return;
        }

        if (upgrade?.Session is { } session)
        {
            await body.DiscardAsync();
            await FinishWebSocketAsync(session, null);
            return;
        }
        await WriteResponseAsync(context, head, body, environ);
    }

    private async Task WriteResponseAsync(HttpContext context, ResponseHead head, Body body, KestrelEnviron environ)
    {
        var response = context.Response;
        response.StatusCode = head.Status;
        foreach (var (name, value) in head.Headers)
        {
            // Framing is the host's business: it follows from the body.
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            response.Headers.Append(name, value);
        }
        if (body.Length is { } length)
            response.ContentLength = length;

        if (HttpMethods.IsHead(context.Request.Method) || body.Kind == BodyKind.Empty)
        {
            await body.DiscardAsync();
            return;
        }
        try
        {
            if (body.Kind == BodyKind.Buffer)
                await response.BodyWriter.WriteAsync(body.Buffer, context.RequestAborted);
            else
                await body.WriteToAsync(async (chunk, ct) => await response.BodyWriter.WriteAsync(chunk, ct), context.RequestAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            HostLog.ApplicationFailedAfterStart(logger, ex, environ.RequestMethod, environ.PathInfo);
            context.Abort();
        }
        catch (OperationCanceledException)
        {
            // The client went away mid-response: nothing to tell it.
        }
    }

    private async Task FailAsync(HttpContext context, KestrelUpgrade? upgrade, Exception ex, KestrelEnviron environ)
    {
        if (upgrade?.Session is { } session)
        {
            await FinishWebSocketAsync(session, ex);
            return;
        }
        // Kestrel reports a request the client got wrong (body over the limit, truncated body) with its status.
        if (ex is BadHttpRequestException bad && !context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = bad.StatusCode;
            return;
        }
        if (context.Response.HasStarted)
        {
            HostLog.ApplicationFailedAfterStart(logger, ex, environ.RequestMethod, environ.PathInfo);
            context.Abort();
            return;
        }
        HostLog.ApplicationFailed(logger, ex, environ.RequestMethod, environ.PathInfo);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = InternalErrorBody.Length;
        await context.Response.BodyWriter.WriteAsync(InternalErrorBody);
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
