using System.IO.Pipelines;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts;

/// <summary>
/// The request body as the application reads it (<see cref="Environ.Body"/>) on a host that runs
/// <see cref="Http1Protocol"/> over a pipe: exactly <c>Content-Length</c> bytes, or the de-chunked
/// payload. Sends <c>100 Continue</c> before the first read when the client waits for it.
/// One per connection.
/// </summary>
/// <remarks>
/// A body the client got wrong throws <see cref="RequestRejectedException"/>, and keeps throwing it.
/// Synchronous <see cref="Read(byte[], int, int)"/> works, as on every HostKit host; it blocks a thread, so prefer <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.
/// Under <see cref="InlineSocketIo"/> it is refused (<see cref="AllowSynchronousReads"/>).
/// </remarks>
/// <param name="input">The connection's input.</param>
/// <param name="output">The connection's output, for <c>100 Continue</c>.</param>
/// <param name="protocol">The connection's protocol state.</param>
public sealed class Http1RequestBody(PipeReader input, PipeWriter output, Http1Protocol protocol) : Stream
{
    /// <summary>
    /// False refuses <see cref="Read(byte[], int, int)"/> with <see cref="NotSupportedException"/>. The default is false
    /// exactly when <see cref="InlineSocketIo.IsEnabled"/>: the application then runs on the socket engine's thread,
    /// and a read that blocks it waits for a completion only that thread can deliver, forever.
    /// </summary>
    public bool AllowSynchronousReads { get; init; } = !InlineSocketIo.IsEnabled;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || protocol.IsBodyComplete && protocol.Rejection is null)
            return 0;
        if (protocol.TakeContinue())
        {
            ResponseHeadWriter.WriteContinue(output);
            await output.FlushAsync(cancellationToken);
        }
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var status = protocol.ReadBody(result.Buffer, buffer.Span, result.IsCompleted, out var copied, out var consumed, out var examined);
            input.AdvanceTo(consumed, examined);
            switch (status)
            {
                case BodyStatus.Data:
                    return copied;
                case BodyStatus.Complete:
                    return 0;
                case BodyStatus.Rejected:
                    throw new RequestRejectedException(protocol.Rejection!.Value);
            }
            if (result.IsCanceled)
                throw new OperationCanceledException("The read of the request body was canceled.");
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        if (!AllowSynchronousReads)
            throw InlineSocketIo.SynchronousReadRefused();
        return ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
