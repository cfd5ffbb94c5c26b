using System.Buffers;
using System.IO.Pipelines;

namespace HostKit.Hosts;

/// <summary>
/// A connection's two pipes as one <see cref="Stream"/>, for an engine that wants a stream (the websocket's
/// <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>).
/// Reads take what the input pipe holds; each write is flushed, so a websocket frame goes out as it is sent.
/// </summary>
/// <remarks>
/// Disposing does not complete the pipes, which belong to the transport: it wakes a pending read or flush (the
/// websocket engine disposes its stream when it is aborted) and refuses further use. The host ends the connection
/// once its request loop returns.
/// </remarks>
/// <param name="pipe">The connection's pipes.</param>
internal sealed class TransportStream(IDuplexPipe pipe) : Stream
{
    private readonly IDuplexPipe _pipe = pipe ?? throw new ArgumentNullException(nameof(pipe));
    private volatile bool _disposed;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var result = await _pipe.Input.ReadAsync(cancellationToken);
            var available = result.Buffer;
            if (!available.IsEmpty && !buffer.IsEmpty)
            {
                var count = (int)Math.Min(buffer.Length, available.Length);
                available.Slice(0, count).CopyTo(buffer.Span);
                _pipe.Input.AdvanceTo(available.GetPosition(count));
                return count;
            }
            // A zero-byte read waits for data without taking any.
            _pipe.Input.AdvanceTo(available.Start, buffer.IsEmpty ? available.Start : available.End);
            if (result.IsCompleted || (buffer.IsEmpty && !available.IsEmpty))
                return 0;
            if (result.IsCanceled)
                throw new OperationCanceledException("The connection's read was canceled.");
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = await _pipe.Output.WriteAsync(buffer, cancellationToken);
        if (result.IsCanceled)
            throw new OperationCanceledException("The connection's write was canceled.");
        if (result.IsCompleted)
            throw new IOException("The connection is closed: the transport reads no more.");
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async Task FlushAsync(CancellationToken cancellationToken) => await _pipe.Output.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _pipe.Input.CancelPendingRead();
                _pipe.Output.CancelPendingFlush();
            }
            catch (InvalidOperationException)
            {
                // The transport completed its pipes already: nothing waits on them.
            }
        }
        base.Dispose(disposing);
    }
}
