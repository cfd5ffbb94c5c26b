using System.Buffers;
using System.IO.Pipelines;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// <see cref="IHostResponse"/> for a host that runs <see cref="Http1Protocol"/> over pipes (<see cref="IPipeTransport"/>): it
/// writes the head the plan says, chunk framing, the last chunk, a refusal with a lingering close, and an abort as the
/// transport's abort. One per connection. It flushes only a streamed body's pieces; the host flushes the rest.
/// </summary>
/// <param name="protocol">The connection's protocol state.</param>
/// <param name="transport">The connection: written through its output, closed gently after a refusal (<see cref="LingeringClose"/>), aborted on <see cref="Abort"/>.</param>
/// <param name="keepsConnection">False while the host stops: the response then says <c>Connection: close</c>.</param>
/// <param name="aborted">The connection's abort signal (the requests' <see cref="Environ.RequestAborted"/>), cancelled by <see cref="Abort"/>.</param>
public sealed class Http1PipeResponse(Http1Protocol protocol, IPipeTransport transport, Func<bool> keepsConnection, CancellationTokenSource aborted)
    : IHostResponse
{
    private readonly PipeWriter _output = (transport ?? throw new ArgumentNullException(nameof(transport))).Output;
    private bool _chunked;

    /// <inheritdoc />
    public RequestSummary Request => protocol.Summarize(keepsConnection());

    /// <inheritdoc />
    public ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body)
    {
        protocol.StartResponse(_output, head, plan);
        _output.Write(body.Span);
        _chunked = plan.Framing == BodyFraming.Chunked;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_chunked)
            ResponseHeadWriter.WriteChunkHeader(_output, bytes.Length);
        _output.Write(bytes.Span);
        if (_chunked)
            ResponseHeadWriter.WriteChunkEnd(_output);
        // A streamed body goes out as it is produced. A transport with its own send loop reports a client that went away
        // by completing the pipe, not by failing the flush.
        if ((await _output.FlushAsync(cancellationToken)).IsCompleted)
            throw new IOException("The connection's transport reads no more: the client went away.");
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(ResponsePlan plan)
    {
        if (_chunked)
            ResponseHeadWriter.WriteLastChunk(_output);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask RejectAsync(RequestRejection reason)
    {
        protocol.WriteRejection(_output, reason);
        await LingeringClose.RunAsync(transport);
    }

    /// <inheritdoc />
    public void Abort()
    {
        aborted.Cancel();
        transport.Abort();
    }
}
