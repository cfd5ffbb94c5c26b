using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Hosts.Kestrel;

/// <summary>Kestrel's response features as the host kit drives them: a struct over the request's features, so answering allocates nothing.</summary>
/// <remarks>
/// On HTTP/2 (<paramref name="isHttp2"/>) no <c>Connection</c> header is sent: it is connection-specific, which HTTP/2 forbids
/// (RFC 9113 section 8.2.2), and Kestrel would drop it with a warning; a refused stream ends alone, the connection serves on.
/// </remarks>
internal readonly struct KestrelResponse(IFeatureCollection features, RequestSummary request, bool isHttp2 = false) : IHostResponse
{
    public RequestSummary Request => request;

    public async ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body)
    {
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = head.Status;
        var headers = response.Headers;
        foreach (var (name, value) in head.Headers)
        {
            if (!ResponsePlan.IsFramingHeader(name))
                headers.Append(name, value);
        }
        headers.ContentLength = plan.ContentLength;
        if (plan.Connection == ConnectionHeader.Close && !isHttp2)
            headers.Connection = "close"; // Kestrel closes after a response that says so
        if (body.IsEmpty)
            return; // a streamed body starts the response with its first write
        // Head and body into Kestrel's output buffer with no flush of our own: Kestrel flushes when the
        // request ends, so a plaintext response goes out in one send (and pipelined ones batch).
        var output = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        await output.StartAsync();
        WriteOrThrow(output.Writer, body.Span);
    }

    public ValueTask CompleteAsync(ResponsePlan plan) => ValueTask.CompletedTask;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        await features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(bytes, cancellationToken);

    public async ValueTask RejectAsync(RequestRejection reason)
    {
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        if (response.HasStarted)
        {
            Abort();
            return;
        }
        response.Headers.Clear(); // what the application set before its body was refused is not the refusal's
        await RequestPipeline.WriteRefusalAsync(this, reason); // a client that left (a body it cut short) is aborted there
    }

    /// <summary>
    /// Copies <paramref name="bytes"/> into Kestrel's output. Once the connection is gone Kestrel's writer hands out less
    /// room than asked, or none (where <c>PipeWriter.Write</c> would throw <see cref="ArgumentOutOfRangeException"/>): the
    /// client went away.
    /// </summary>
    private static void WriteOrThrow(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var room = writer.GetSpan();
            if (room.IsEmpty)
                throw new ClientDisconnectedException(new IOException("Kestrel's response writer has no room: the connection is gone."));
            var count = Math.Min(room.Length, bytes.Length);
            bytes[..count].CopyTo(room);
            writer.Advance(count);
            bytes = bytes[count..];
        }
    }

    public void Abort() => features.GetRequiredFeature<IHttpRequestLifetimeFeature>().Abort();
}
