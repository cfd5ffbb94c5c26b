using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace HostKit.Hosts;

/// <summary>
/// <see cref="IPipeTransport"/> for a host that owns its socket (the Raw and the minimal hosts): pipes over the socket's
/// stream, a half-close once the pipe has written everything into the socket, a reset for an abort, and after a
/// websocket upgrade the socket's stream itself, with the pipes ended (an idle websocket then holds no pipe buffer).
/// </summary>
public sealed class SocketPipeTransport : IPipeTransport
{
    private readonly Socket _socket;
    private readonly Action? _abort;

    /// <summary>Reads and writes <paramref name="stream"/> (over <paramref name="socket"/>) through pipes.</summary>
    /// <param name="socket">The connection's socket: shut down for sending by <see cref="CloseOutputAsync"/>, reset by <see cref="Abort"/>.</param>
    /// <param name="stream">The socket as a stream; it outlives the pipes after an upgrade, so they leave it open.</param>
    /// <param name="inputOptions">The input pipe's options (buffer size, zero-byte reads); <c>leaveOpen</c> is always set.</param>
    /// <param name="abort">How <see cref="Abort"/> drops the connection, for a socket that is only a view of a descriptor
    /// someone else closes (an io_uring ring); null: a reset of <paramref name="socket"/>.</param>
    public SocketPipeTransport(Socket socket, Stream stream, StreamPipeReaderOptions? inputOptions = null, Action? abort = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(stream);
        (_socket, _abort) = (socket, abort);
        Stream = stream;
        var options = inputOptions ?? new StreamPipeReaderOptions();
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(options.Pool, options.BufferSize, options.MinimumReadSize, leaveOpen: true, options.UseZeroByteReads));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>The socket as a stream, under the pipes.</summary>
    public Stream Stream { get; }

    /// <inheritdoc />
    public PipeReader Input { get; }

    /// <inheritdoc />
    public PipeWriter Output { get; }

    /// <inheritdoc />
    /// <remarks>Completing the output writes what it buffers into the socket, so the FIN follows the last byte.</remarks>
    public async ValueTask CloseOutputAsync()
    {
        await Output.CompleteAsync();
        _socket.Shutdown(SocketShutdown.Send);
    }

    /// <inheritdoc />
    public void Abort()
    {
        if (_abort is null)
            ConnectionReset.Reset(_socket);
        else
            _abort();
    }

    /// <inheritdoc />
    public async ValueTask<Stream> SwitchToStreamAsync()
    {
        var buffered = Array.Empty<byte>();
        if (Input.TryRead(out var read))
        {
            buffered = read.Buffer.ToArray();
            Input.AdvanceTo(read.Buffer.End);
        }
        // The websocket reads the socket's stream itself: no pipe buffer is held for an idle socket.
        await Input.CompleteAsync();
        await Output.CompleteAsync();
        return new UpgradedStream(buffered, Stream);
    }
}
