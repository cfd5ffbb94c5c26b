using System.Net.Sockets;

namespace HostKit.Hosts;

/// <summary>
/// The connection's socket as the stream its pipes and its websocket use: a <see cref="NetworkStream"/> whose writes
/// are sent at once with a non-blocking <see cref="Socket.Send(ReadOnlySpan{byte}, SocketFlags, out SocketError)"/>,
/// and wait (the <see cref="NetworkStream"/>'s asynchronous write) only for what the kernel's send buffer could not
/// take. Reads are the <see cref="NetworkStream"/>'s.
/// </summary>
/// <remarks>
/// <para>Almost every write fits in the send buffer, so the socket's asynchronous send machinery (a
/// <see cref="SocketAsyncEventArgs"/> of about 300 bytes, kept for the socket's life) is seldom made at all: an idle
/// websocket holds one fewer, and a response or a websocket message costs one system call and no await.</para>
/// <para>Failures surface as <see cref="NetworkStream"/>'s do, a <see cref="SocketException"/> inside an
/// <see cref="IOException"/>, which is how the connection and the websocket engine recognise a peer that left.</para>
/// </remarks>
public sealed class SocketStream : Stream
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;

    /// <summary>Takes ownership of <paramref name="socket"/> and switches it to non-blocking mode.</summary>
    public SocketStream(Socket socket)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        // After the NetworkStream, which refuses a non-blocking socket. Only synchronous calls see the flag, and this
        // stream makes none that could block: its synchronous Read and Write go through the asynchronous ones.
        socket.Blocking = false;
    }

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
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _network.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        while (!buffer.IsEmpty)
        {
            var sent = _socket.Send(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
                return _network.WriteAsync(buffer, cancellationToken); // the rest, when the kernel can take it
            if (error != SocketError.Success)
                return ValueTask.FromException(new IOException($"Unable to write data to the transport connection: {error}.", new SocketException((int)error)));
            buffer = buffer[sent..];
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _network.Dispose();
        base.Dispose(disposing);
    }
}
