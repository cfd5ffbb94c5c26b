using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The receive side of a session: turns the engine's frames into whole messages under the size limit and within
/// the message timeout, and hands out the one read turn on the engine (the application's receive, or the close
/// handshake once that receive is done), because the engine allows one outstanding read.
/// </summary>
/// <remarks>
/// Nothing over the limit is buffered: the buffer grows with what arrives and never past the limit, and where the
/// connection's frame headers can be seen (<paramref name="connection"/>) a header that declares more than the limit
/// is refused before its payload is read. A compressed message's header gives only its compressed size, so a
/// compression bomb is stopped once its inflated bytes reach the limit: it costs what an honest message of the limit
/// costs, and no more than that for as long as it is read. Buffers larger than <see cref="LargestPooledBuffer"/> are
/// not pooled, so that memory goes back at the next full collection (see there). A message whose rest does not come in time (a last fragment that never
/// comes, a frame whose payload stops) is given up; the engine's read is left waiting, with its buffer, for the
/// close handshake, since cancelling it would abort the engine before the close frame could be sent.
/// </remarks>
internal sealed class MessageAssembler(WebSocket socket, int maxMessageBytes, TimeSpan messageTimeout, WebSocketConnectionStream? connection)
{
    private const int FirstBufferBytes = 4096;
    private const int DiscardBufferBytes = 1024;

    /// <summary>
    /// The largest buffer taken from and given back to the shared pool. Larger ones (a message near a high limit, or a
    /// compression bomb inflating up to it) are allocated and left to the GC: the shared pool keeps what is returned to
    /// it, up to 32 arrays of each size per core, and lets go of them only after they have been unused for a minute, a
    /// few per full collection. Pooled, 50 bombs against a 4 MiB limit left the process hundreds of MiB larger long after
    /// they were closed; unpooled, the next full collection gives it back. Up to this size the pool holds at most a few
    /// MiB, and small messages, the common case, still allocate nothing.
    /// </summary>
    internal const int LargestPooledBuffer = 64 * 1024;

    private readonly SemaphoreSlim _readTurn = new(1, 1);

    // Wakes the wait for the rest of a message: at the message's deadline, or when a frame header goes over the limit.
    private CancellationTokenSource? _interrupt;

    // The engine's read that a message timeout or the limit stopped waiting for, and the pooled buffer it still fills.
    private Task<ValueWebSocketReceiveResult>? _abandoned;
    private byte[]? _abandonedBuffer;

    public int MaxMessageBytes => maxMessageBytes;

    public TimeSpan MessageTimeout => messageTimeout;

    /// <summary>Takes the read turn if nobody holds it; never waits.</summary>
    public bool TryTakeReadTurn() => _readTurn.Wait(0);

    /// <summary>Waits until whoever is reading has finished.</summary>
    public Task WaitForReadTurnAsync(CancellationToken cancellationToken) => _readTurn.WaitAsync(cancellationToken);

    public void ReleaseReadTurn() => _readTurn.Release();

    /// <summary>Stops waiting for the rest of the message under way (a frame header went over the limit); safe from any thread.</summary>
    public void Interrupt()
    {
        try
        {
            Volatile.Read(ref _interrupt)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That wait has ended already.
        }
    }

    /// <summary>
    /// Waits for the next frame without a buffer. It returns the engine's own task, not one of this class's, so
    /// that an idle socket holds neither a buffer nor a suspended frame here; the caller awaits it and hands the
    /// result to <see cref="ReadMessageAsync"/>. Call with the read turn held.
    /// </summary>
    public ValueTask<ValueWebSocketReceiveResult> WaitForFrameAsync(CancellationToken cancellationToken) =>
        socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);

    /// <summary>
    /// Reads the rest of the message whose first frame <paramref name="first"/> announced: the whole message, the
    /// peer's close, or enough of a message to know it is too big or too slow. Call with the read turn held.
    /// </summary>
    public ValueTask<ReceiveResult> ReadMessageAsync(ValueWebSocketReceiveResult first, CancellationToken cancellationToken)
    {
        if (first.MessageType == WebSocketMessageType.Close)
            return ValueTask.FromResult(ReceiveResult.PeerClosed);
        if (connection?.IsOverLimit == true)
            return ValueTask.FromResult(ReceiveResult.TooBig); // at the header: not a byte of it read
        if (first.EndOfMessage)
            return ValueTask.FromResult(ReceiveResult.Of(new WebSocketMessage(first.MessageType, Array.Empty<byte>())));
        return ReadPayloadAsync(first.MessageType, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReceiveResult> ReadPayloadAsync(WebSocketMessageType type, CancellationToken cancellationToken)
    {
        var startedAt = Environment.TickCount64;
        byte[]? buffer = RentBuffer(Math.Min(FirstBufferBytes, maxMessageBytes));
        try
        {
            var count = 0;
            while (true)
            {
                if (count == Math.Min(buffer.Length, maxMessageBytes))
                {
                    if (count == maxMessageBytes)
                        return await ProbeAtLimitAsync(type, buffer, count, startedAt, cancellationToken);
                    if (Grow(buffer, count) is not { } larger)
                        return ReceiveResult.TooBig;
                    buffer = larger;
                }
                var room = Math.Min(buffer.Length, maxMessageBytes) - count;
                if (await ReceiveInTimeAsync(buffer.AsMemory(count, room), buffer, startedAt, cancellationToken) is not { } result)
                {
                    buffer = null; // the abandoned read still fills it
                    return Interrupted;
                }
                if (result.MessageType == WebSocketMessageType.Close)
                    return ReceiveResult.PeerClosed;
                count += result.Count;
                if (connection?.IsOverLimit == true)
                    return ReceiveResult.TooBig;
                if (result.EndOfMessage)
                    return ReceiveResult.Of(new WebSocketMessage(type, buffer.AsSpan(0, count).ToArray()));
            }
        }
        finally
        {
            if (buffer is not null)
                ReturnBuffer(buffer);
        }
    }

    /// <summary>Too big (the header seen over the limit) or too slow (the message timeout).</summary>
    private ReceiveResult Interrupted => connection?.IsOverLimit == true ? ReceiveResult.TooBig : ReceiveResult.Unfinished;

    /// <summary>
    /// The message has exactly the limit's bytes and has not ended: a read of no bytes tells whether it ends here (an
    /// empty last fragment) or goes on (too big), without a buffer a byte larger than the limit.
    /// </summary>
    private async ValueTask<ReceiveResult> ProbeAtLimitAsync(WebSocketMessageType type, byte[] buffer, int count, long startedAt, CancellationToken cancellationToken)
    {
        if (await ReceiveInTimeAsync(Memory<byte>.Empty, null, startedAt, cancellationToken) is not { } probe)
            return Interrupted;
        if (probe.MessageType == WebSocketMessageType.Close)
            return ReceiveResult.PeerClosed;
        return probe.EndOfMessage && connection?.IsOverLimit != true
            ? ReceiveResult.Of(new WebSocketMessage(type, buffer.AsSpan(0, count).ToArray()))
            : ReceiveResult.TooBig;
    }

    /// <summary>One read of the engine's, or null when the message's time ran out or its header went over the limit first.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ValueWebSocketReceiveResult?> ReceiveInTimeAsync(Memory<byte> into, byte[]? owner, long startedAt, CancellationToken cancellationToken)
    {
        var read = socket.ReceiveAsync(into, cancellationToken);
        if (read.IsCompleted || (messageTimeout == Timeout.InfiniteTimeSpan && connection is null))
            return await read; // what was already there, or nothing can cut the wait short: no timer
        var pending = read.AsTask();
        var interrupt = new CancellationTokenSource();
        Volatile.Write(ref _interrupt, interrupt);
        try
        {
            if (connection?.IsOverLimit == true)
                interrupt.Cancel(); // noticed before there was a wait to interrupt
            else if (messageTimeout != Timeout.InfiniteTimeSpan)
                interrupt.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(0, messageTimeout.TotalMilliseconds - (Environment.TickCount64 - startedAt))));
            return await pending.WaitAsync(interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (pending.IsCompleted)
                return await pending;
            _abandoned = pending;
            _abandonedBuffer = owner;
            return null;
        }
        finally
        {
            Volatile.Write(ref _interrupt, null);
            interrupt.Dispose();
        }
    }

    /// <summary>Reads and drops whatever the peer still sends until its close frame. Call with the read turn held.</summary>
    public async Task DiscardUntilCloseAsync(CancellationToken cancellationToken)
    {
        if (await FinishAbandonedReadAsync(cancellationToken))
            return;
        var scratch = ArrayPool<byte>.Shared.Rent(DiscardBufferBytes);
        try
        {
            while ((await socket.ReceiveAsync(scratch.AsMemory(), cancellationToken)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Waits for the read a message timeout or the limit abandoned (the engine allows no other until it ends): true when
    /// it was the peer's close. Its buffer goes back to the pool once the engine is done with it, even if that is only
    /// when the connection is dropped.
    /// </summary>
    private async Task<bool> FinishAbandonedReadAsync(CancellationToken cancellationToken)
    {
        if (_abandoned is not { } pending)
            return false;
        var buffer = _abandonedBuffer;
        _abandoned = null;
        _abandonedBuffer = null;
        try
        {
            return (await pending.WaitAsync(cancellationToken)).MessageType == WebSocketMessageType.Close;
        }
        finally
        {
            if (buffer is not null)
            {
                if (pending.IsCompleted)
                    ReturnBuffer(buffer);
                else
                    _ = pending.ContinueWith(static (_, held) => ReturnBuffer((byte[])held!), buffer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>A buffer twice as large, up to the limit, holding the first <paramref name="count"/> bytes; null when no array can be larger (the message is then too big to hold).</summary>
    private byte[]? Grow(byte[] buffer, int count)
    {
        var length = Math.Min(Math.Min((long)buffer.Length * 2, maxMessageBytes), Array.MaxLength);
        if (length <= buffer.Length)
            return null;
        var larger = RentBuffer((int)length);
        buffer.AsSpan(0, count).CopyTo(larger);
        ReturnBuffer(buffer);
        return larger;
    }

    /// <summary>A buffer of at least <paramref name="length"/> bytes: from the shared pool up to <see cref="LargestPooledBuffer"/>, allocated above it.</summary>
    private static byte[] RentBuffer(int length) =>
        length <= LargestPooledBuffer ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    /// <summary>Gives a buffer of <see cref="RentBuffer"/> back: to the pool when it came from it (the pool's sizes up to the largest pooled are powers of two, the others are larger).</summary>
    private static void ReturnBuffer(byte[] buffer)
    {
        if (buffer.Length <= LargestPooledBuffer)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
