using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// HttpListener's response as the host kit drives it. HttpListener owns some headers (Content-Type, Content-Length,
/// keep-alive): they go through its properties. Its ways of saying the response cannot be written any more (the client
/// went away, or the engine answered and closed it itself) become the kit's <see cref="ClientDisconnectedException"/>.
/// </summary>
internal readonly struct HttpListenerResponseAdapter(HttpListenerContext context) : IHostResponse
{
    public RequestSummary Request => new(context.Request.HttpMethod == "HEAD", context.Request.ProtocolVersion >= System.Net.HttpVersion.Version11, context.Request.KeepAlive);

    public ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body) =>
        OnResponseAsync((head, plan, body), static async (response, start) =>
        {
            WriteHead(response, start.head, start.plan);
            if (!start.body.IsEmpty)
                await response.OutputStream.WriteAsync(start.body, CancellationToken.None);
        });

    public ValueTask CompleteAsync(ResponsePlan plan) =>
        OnResponseAsync(plan, static (response, _) =>
        {
            response.Close();
            return ValueTask.CompletedTask;
        });

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        OnResponseAsync((bytes, cancellationToken), static (response, write) => response.OutputStream.WriteAsync(write.bytes, write.cancellationToken));

    public ValueTask RejectAsync(RequestRejection reason) => RequestPipeline.WriteRefusalAsync(this, reason);

    public void Abort()
    {
        try
        {
            context.Response.Abort();
        }
        catch (Exception ex) when (IsGone(ex))
        {
            // Closed already.
        }
    }

    /// <summary>Runs <paramref name="step"/> on the response, where the engine's ways of saying the client is gone become the kit's one exception.</summary>
    private async ValueTask OnResponseAsync<TState>(TState state, Func<HttpListenerResponse, TState, ValueTask> step)
    {
        try
        {
            await step(context.Response, state);
        }
        catch (Exception ex) when (IsGone(ex))
        {
            throw new ClientDisconnectedException(ex);
        }
    }

    private static void WriteHead(HttpListenerResponse response, ResponseHead head, ResponsePlan plan)
    {
        response.StatusCode = head.Status;
        foreach (var (name, value) in head.Headers)
        {
            if (ResponsePlan.IsFramingHeader(name))
                continue;
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
    }

    // HttpListenerException: the client went away; ObjectDisposedException, InvalidOperationException: the engine closed the response itself.
    private static bool IsGone(Exception ex) => ex is HttpListenerException or ObjectDisposedException or InvalidOperationException;
}
