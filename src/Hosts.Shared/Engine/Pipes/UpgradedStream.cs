namespace HostKit.Hosts;

/// <summary>
/// The connection after a websocket upgrade: first the bytes the HTTP layer had already buffered
/// past the handshake, then the socket itself. Handing the websocket the socket directly (no pipe)
/// means an idle websocket holds no read buffer.
/// </summary>
internal sealed class UpgradedStream(byte[] buffered, Stream socket) : Stream
{
    private int _bufferedOffset;

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_bufferedOffset < buffered.Length)
        {
            var count = Math.Min(destination.Length, buffered.Length - _bufferedOffset);
            buffered.AsSpan(_bufferedOffset, count).CopyTo(destination.Span);
            _bufferedOffset += count;
            return ValueTask.FromResult(count);
        }
        return socket.ReadAsync(destination, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        socket.WriteAsync(source, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => socket.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            socket.Dispose();
        base.Dispose(disposing);
    }
}
