using HostKit.Hosts.Protocol;

namespace HostKit.Hosts;

/// <summary>
/// An engine's request body stream, told the host kit's way: a body the client got wrong surfaces as
/// <see cref="RequestRejectedException"/> (what the engine's own exception stands for, by <c>classify</c>), so the application
/// (or the host, when the application lets it escape) sees the same error as on every host; and the body is held to
/// <see cref="HttpLimits.MaxRequestBodyBytes"/> whatever its framing, for an engine that does not hold a chunked one to it (HttpListener).
/// </summary>
/// <remarks>
/// Under <see cref="InlineSocketIo"/> a synchronous read is refused: after an awaited read, the application runs
/// on the socket engine's thread, which a blocking read would hold while waiting for that same thread.
/// </remarks>
/// <param name="inner">The engine's request stream.</param>
/// <param name="maxBytes">The most body bytes read before <see cref="RequestRejection.BodyTooLarge"/>.</param>
/// <param name="classify">The rejection an exception of the engine's stands for, or null for one to let through as it is.</param>
public sealed class EngineRequestBody(Stream inner, long maxBytes, Func<Exception, RequestRejection?> classify) : Stream
{
    private readonly bool _allowSynchronousReads = !InlineSocketIo.IsEnabled;
    private long _read;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is not RequestRejectedException && classify(ex) is { } rejection)
        {
            throw new RequestRejectedException(rejection, ex.Message, ex);
        }
        _read += read;
        if (_read > maxBytes)
            throw new RequestRejectedException(RequestRejection.BodyTooLarge);
        return read;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        _allowSynchronousReads ? ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult() : throw InlineSocketIo.SynchronousReadRefused();

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
