using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// HttpListener's request stream, with its failures told the host kit's way: a body the client got
/// wrong surfaces as <see cref="RequestRejectedException"/>, so the application (or the host, when the
/// application lets it escape) sees the same error as on every other host. It also holds a chunked
/// body to <see cref="HttpLimits.MaxRequestBodyBytes"/>, which HttpListener does not.
/// </summary>
/// <remarks>
/// Under <see cref="InlineSocketIo"/> a synchronous read is refused: after an awaited read, the application runs
/// on the socket engine's thread, which a blocking read would hold while waiting for that same thread.
/// </remarks>
internal sealed class HttpListenerRequestBody(Stream inner, bool chunked, long maxBytes) : Stream
{
    private readonly bool _allowSynchronousReads = !InlineSocketIo.IsEnabled;
    private long _read;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ProtocolViolationException && ex is not RequestRejectedException)
        {
            throw new RequestRejectedException(chunked ? RequestRejection.InvalidChunkedBody : RequestRejection.IncompleteBody, ex.Message, ex);
        }
        _read += read;
        if (_read > maxBytes)
            throw new RequestRejectedException(RequestRejection.BodyTooLarge);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        _allowSynchronousReads ? ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult() : throw InlineSocketIo.SynchronousReadRefused();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
