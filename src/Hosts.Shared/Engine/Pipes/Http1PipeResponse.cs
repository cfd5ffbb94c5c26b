using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// <see cref="IHostResponse"/> for a host that runs <see cref="Http1Protocol"/> over a socket and pipes: it writes
/// the head the plan says, chunk framing, the last chunk, a refusal with a lingering close, and an abort as a reset.
/// One per connection.
/// </summary>
/// <param name="protocol">The connection's protocol state.</param>
/// <param name="input">The connection's input, drained after a refusal.</param>
/// <param name="output">The connection's output.</param>
/// <param name="socket">The connection's socket, shut down gently after a refusal, reset on an abort.</param>
/// <param name="keepsConnection">False while the host stops: the response then says <c>Connection: close</c>.</param>
/// <param name="aborted">The connection's abort signal (the requests' <see cref="Environ.RequestAborted"/>), cancelled by <see cref="Abort"/>.</param>
public sealed class Http1PipeResponse(Http1Protocol protocol, PipeReader input, PipeWriter output, Socket socket, Func<bool> keepsConnection,
    CancellationTokenSource aborted) : IHostResponse
{
    private bool _chunked;

    /// <inheritdoc />
    public RequestSummary Request => protocol.Summarize(keepsConnection());

    /// <inheritdoc />
    public ValueTask StartAsync(ResponseHead head, ResponsePlan plan, ReadOnlyMemory<byte> body)
    {
        protocol.StartResponse(output, head, plan);
        output.Write(body.Span);
        _chunked = plan.Framing == BodyFraming.Chunked;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_chunked)
            ResponseHeadWriter.WriteChunkHeader(output, bytes.Length);
        output.Write(bytes.Span);
        if (_chunked)
            ResponseHeadWriter.WriteChunkEnd(output);
        // A streamed body goes out as it is produced.
        await output.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(ResponsePlan plan)
    {
        if (_chunked)
            ResponseHeadWriter.WriteLastChunk(output);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask RejectAsync(RequestRejection reason)
    {
        protocol.WriteRejection(output, reason);
        await output.FlushAsync();
        await LingeringClose.RunAsync(socket, input);
    }

    /// <inheritdoc />
    public void Abort() => ConnectionReset.Reset(socket, aborted);
}
