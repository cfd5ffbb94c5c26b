using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>HttpListener's response as the host kit drives it. HttpListener owns some headers (Content-Type, Content-Length, keep-alive): they go through its properties.</summary>
internal readonly struct HttpListenerResponseAdapter(HttpListenerContext context) : IHostResponse
{
    public RequestSummary Request => new(context.Request.HttpMethod == "HEAD", context.Request.ProtocolVersion >= System.Net.HttpVersion.Version11, context.Request.KeepAlive);

    public async ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
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
        if (!body.IsEmpty)
            await WriteAsync(body, CancellationToken.None);
    }

    public ValueTask CompleteAsync(ResponsePlan plan)
    {
        try
        {
            context.Response.Close();
        }
        catch (HttpListenerException ex)
        {
            throw new ClientDisconnectedException(ex);
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
        }
        catch (HttpListenerException ex)
        {
            // The engine's way of saying the client went away.
            throw new ClientDisconnectedException(ex);
        }
    }

    public async ValueTask RejectAsync(RequestRejection reason)
    {
        try
        {
            await RequestPipeline.WriteRefusalAsync(this, reason);
        }
        catch (Exception ex) when (ex is ClientDisconnectedException or HttpListenerException or InvalidOperationException or ObjectDisposedException)
        {
            Abort();
        }
    }

    public void Abort() => context.Response.Abort();
}
