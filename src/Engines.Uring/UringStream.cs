using System.Net.Sockets;
using HostKit.Engines.Uring.Native;
using HostKit.Engines.Uring.Ring;

namespace HostKit.Engines.Uring;

/// <summary>
/// A connection's descriptor as a <see cref="Stream"/>, read and written through the ring: what a host's
/// pipes and websocket framing sit on, as they sit on a <see cref="NetworkStream"/> elsewhere. Closing cancels
/// whatever the kernel still holds and closes the descriptor once the last of it has completed, on the loop.
/// </summary>
/// <remarks>
/// A reset refuses further transfers and cancels the current ones, but the descriptor stays open until the
/// stream is disposed (at the end of the connection's run): until then the connection's code may still name it
/// (a lingering close's shutdown), and a closed number could already belong to another connection.
/// </remarks>
internal sealed class UringStream : Stream, IRingWork
{
    private readonly SocketTransfer _receive;
    private readonly SocketTransfer _send;
    private int _inKernel; // loop thread only
    private int _closeRequested;
    private volatile bool _reset;
    private volatile bool _disposed;
    private bool _closed; // loop thread only

    public UringStream(UringLoop loop, int fd)
    {
        (Loop, Fd) = (loop, fd);
        _receive = new SocketTransfer(this, Submission.OpRecv);
        _send = new SocketTransfer(this, Submission.OpSend);
        loop.Register(_receive);
        loop.Register(_send);
    }

    public UringLoop Loop { get; }

    public int Fd { get; }

    /// <summary>
    /// True while the connection is in a protocol step (reading a head, draining, flushing an answer): a
    /// completion then continues the connection on the loop's thread. False while the application runs, whose
    /// code must not stall the ring: its completions go to the thread pool.
    /// </summary>
    public bool InlineCompletions { get; set; }

    /// <summary>True once the connection is closing: new transfers are refused.</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        buffer.IsEmpty ? ValueTask.FromResult(0) : _receive.StartAsync(buffer, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!buffer.IsEmpty)
            await _send.StartAsync(buffer, cancellationToken);
    }

    /// <summary>Drops the connection with a reset: transfers stop now, and the close at dispose sends RST, not FIN.</summary>
    public void Reset()
    {
        _reset = true;
        RequestClose();
    }

    /// <summary>The exception for a transfer that failed with -<paramref name="result"/>.</summary>
    public IOException Failure(int result) => result == -LinuxCalls.ECANCELED || IsClosing
        ? new IOException("The connection was closed.", new ObjectDisposedException(nameof(UringStream)))
        : new IOException($"The connection failed (errno {-result}).", new SocketException((int)ToSocketError(-result)));

    public void TransferStarted() => _inKernel++;

    public void TransferEnded()
    {
        _inKernel--;
        if (IsClosing)
            CloseWhenIdle();
    }

    // On the loop (once for a reset, once for the dispose): mark the socket for a reset if asked, cancel what the
    // kernel holds, close when it is done and the stream disposed.
    void IRingWork.Run(UringLoop loop)
    {
        if (_closed)
            return;
        if (_reset)
            SetLingerZero();
        if (_receive.InKernel || _send.InKernel)
            loop.CancelAll(Fd);
        CloseWhenIdle();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            Volatile.Write(ref _closeRequested, 1);
            Loop.Post(this);
        }
        base.Dispose(disposing);
    }

    private void RequestClose()
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
            Loop.Post(this);
    }

    private void CloseWhenIdle()
    {
        if (_inKernel > 0 || _closed || !_disposed)
            return;
        _closed = true;
        LinuxCalls.Close(Fd);
        Loop.Unregister(_receive);
        Loop.Unregister(_send);
    }

    private unsafe void SetLingerZero()
    {
        var linger = stackalloc int[2]; // struct linger { int l_onoff; int l_linger; }
        (linger[0], linger[1]) = (1, 0);
        LinuxCalls.SetSockOpt(Fd, LinuxCalls.SolSocket, LinuxCalls.SoLinger, linger, sizeof(int) * 2);
    }

    private static SocketError ToSocketError(int errno) => errno switch
    {
        104 => SocketError.ConnectionReset,
        32 => SocketError.Shutdown, // EPIPE
        110 => SocketError.TimedOut,
        _ => SocketError.SocketError,
    };

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

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
}
