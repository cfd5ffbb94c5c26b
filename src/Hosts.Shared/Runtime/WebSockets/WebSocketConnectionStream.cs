using System.Runtime.CompilerServices;
using HostKit.Hosts.Protocol;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The upgraded connection under the engine's websocket, on the hosts that frame a stream themselves (raw, kestrel,
/// in-memory). It reads every frame header as it goes by, in both directions, for two things the engine does not do:
/// a message declared over the route's limit is noticed at its header, before any payload is read; and after a close
/// frame has gone out the connection ends the RFC 6455 section 7.1.1 way, so that the close code reaches the peer.
/// </summary>
/// <remarks>
/// <para>
/// Why the second: the engine aborts itself after it answers a protocol violation with 1002 or 1007, and aborting
/// disposes this stream. Closing a socket whose receive buffer still holds the peer's bytes makes the kernel send a
/// reset, which can reach the peer before it has read the close frame (Kestrel reset at once on every violation).
/// So once our close frame is out and the peer's has not come, this reads and drops what the peer still sends until it
/// closes its side, or for at most the close timeout, and only then lets the connection go.
/// </para>
/// <para>
/// A zero-byte read (the engine's wait on an idle socket) is passed through untouched: an idle websocket keeps nothing here.
/// </para>
/// </remarks>
/// <param name="inner">The connection as the engine's stream.</param>
/// <param name="lingerTimeout">The longest wait for the peer to close its side after our close frame.</param>
/// <param name="abortConnection">Drops the connection at once, for an engine (Kestrel) whose stream does nothing on dispose; null when disposing <paramref name="inner"/> is enough.</param>
/// <param name="abortAfterClose">
/// For an engine whose abort throws away what was written but not yet sent (Kestrel's: a write completes once it is in the
/// connection's output pipe, and an abort cancels the loop that sends it): how the connection ends after our close frame was
/// written. It is then not aborted at once but left to end with the request, which sends what was written first, and this runs
/// only after <paramref name="lingerTimeout"/>, and at least 5 s (for a peer that stopped reading; logged at debug with
/// <paramref name="logger"/>). Null: <paramref name="abortConnection"/> at once.
/// </param>
/// <param name="logger">Where the end after <paramref name="abortAfterClose"/> is reported.</param>
internal sealed class WebSocketConnectionStream(Stream inner, TimeSpan lingerTimeout, Action? abortConnection, Action? abortAfterClose = null, ILogger? logger = null) : Stream
{
    private const int DrainBufferBytes = 1024;

    /// <summary>
    /// The least time a written close frame is given to be sent before an abort that would throw it away: Kestrel sends
    /// from the thread pool, and under a burst (50 compression bombs on a loaded machine) that took seconds.
    /// </summary>
    private static readonly TimeSpan SendGrace = TimeSpan.FromSeconds(5);

    private readonly FrameHeaderReader _inbound = new();
    private readonly FrameHeaderReader _outbound = new();
    private long _maxMessageBytes = long.MaxValue;
    private Action? _overLimit;
    private int _readsInFlight;
    private bool _idleWaitIssued;
    private bool _peerEnded;
    private int _disposed;
    private Task _closed = Task.CompletedTask;

    /// <summary>True once a data frame's header took the message under way over the limit; its payload is then never read by the session.</summary>
    public bool IsOverLimit => _inbound.DeclaredMessageBytes > Volatile.Read(ref _maxMessageBytes);

    /// <summary>Completes once the connection is let go: at once, or after the linger that follows our close frame.</summary>
    public Task Closed => Volatile.Read(ref _closed);

    /// <summary>Sets the message limit, and what to call when a frame header goes over it (once, from the read that brought the header).</summary>
    public void LimitMessages(int maxMessageBytes, Action overLimit)
    {
        _overLimit = overLimit;
        Volatile.Write(ref _maxMessageBytes, maxMessageBytes);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The engine never reads twice at once, so a new read means the previous one has completed.
        _idleWaitIssued = buffer.IsEmpty;
        if (buffer.IsEmpty)
            return inner.ReadAsync(buffer, cancellationToken);
        Interlocked.Increment(ref _readsInFlight);
        ValueTask<int> read;
        try
        {
            read = inner.ReadAsync(buffer, cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _readsInFlight);
            throw;
        }
        if (!read.IsCompletedSuccessfully)
            return AwaitReadAsync(read, buffer);
        Interlocked.Decrement(ref _readsInFlight);
        Observe(buffer.Span[..read.Result]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        // Counted once written: a close frame that did not go out is not one the peer can read.
        _outbound.Read(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            Volatile.Write(ref _closed, LetGoAsync());
        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReadAsync(ValueTask<int> read, Memory<byte> buffer)
    {
        int count;
        try
        {
            count = await read;
        }
        finally
        {
            Interlocked.Decrement(ref _readsInFlight);
        }
        Observe(buffer.Span[..count]);
        return count;
    }

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            _peerEnded = true;
        }
        else
        {
            var wasOver = IsOverLimit;
            _inbound.Read(bytes);
            if (!wasOver && IsOverLimit)
                _overLimit?.Invoke();
        }
    }

    /// <summary>
    /// Lets the connection go. Lingers only when our close frame is out, the peer's has not come, and no read of the
    /// engine's is still waiting on the connection (that one has had the whole close handshake to see the peer's close).
    /// </summary>
    private async Task LetGoAsync()
    {
        var graceful = _outbound.SawClose;
        if (graceful && !_inbound.SawClose && !_peerEnded && Volatile.Read(ref _readsInFlight) == 0 && !_idleWaitIssued)
            graceful = await DrainUntilPeerEndsAsync();
        else if (graceful && !_inbound.SawClose && !_peerEnded)
            graceful = false;
        if (!graceful && _outbound.SawClose && abortAfterClose is not null)
            _ = AbortLaterAsync(abortAfterClose);
        else if (!graceful)
            abortConnection?.Invoke();
        inner.Dispose();
    }

    /// <summary>
    /// Aborts after the linger time: an abort now could throw away our close frame before it is sent, and the peer would
    /// read a reset instead of the close code. The request ends meanwhile, which sends what was written and closes.
    /// </summary>
    private async Task AbortLaterAsync(Action abort)
    {
        var linger = lingerTimeout > SendGrace ? lingerTimeout : SendGrace;
        await Task.Delay(linger);
        abort();
        if (logger is not null)
            HostLog.WebSocketEndedAfterClose(logger, linger.TotalSeconds);
    }

    /// <summary>Reads and drops what the peer sends until it closes its side: true when it did within the linger time.</summary>
    private async Task<bool> DrainUntilPeerEndsAsync()
    {
        // Off the caller's thread: the engine disposes this stream under its own lock, and a peer that keeps sending
        // would otherwise keep that thread (and the lock) for the whole linger.
        await Task.Yield();
        var scratch = new byte[DrainBufferBytes];
        using var timeout = new CancellationTokenSource(lingerTimeout);
        try
        {
            while (await inner.ReadAsync(scratch, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (Exception ex) when (ConnectionLoss.Is(ex))
        {
            return false;
        }
    }
}
