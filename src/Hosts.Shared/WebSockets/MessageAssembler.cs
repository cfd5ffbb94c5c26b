using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace HostKit.Hosts;

/// <summary>
/// The receive side of a session: turns the engine's frames into whole messages under the size limit,
/// and hands out the one read turn on the engine (the application's receive, or the close handshake
/// once that receive is done), because the engine allows one outstanding read.
/// </summary>
internal sealed class MessageAssembler(WebSocket socket, int maxMessageBytes)
{
    private const int FirstBufferBytes = 4096;
    private const int DiscardBufferBytes = 1024;

    private readonly SemaphoreSlim _readTurn = new(1, 1);

    public int MaxMessageBytes => maxMessageBytes;

    /// <summary>Takes the read turn if nobody holds it; never waits.</summary>
    public bool TryTakeReadTurn() => _readTurn.Wait(0);

    /// <summary>Waits until whoever is reading has finished.</summary>
    public Task WaitForReadTurnAsync(CancellationToken cancellationToken) => _readTurn.WaitAsync(cancellationToken);

    public void ReleaseReadTurn() => _readTurn.Release();

    /// <summary>
    /// Waits for the next frame without a buffer. It returns the engine's own task, not one of this class's, so
    /// that an idle socket holds neither a buffer nor a suspended frame here; the caller awaits it and hands the
    /// result to <see cref="ReadMessageAsync"/>. Call with the read turn held.
    /// </summary>
    public ValueTask<ValueWebSocketReceiveResult> WaitForFrameAsync(CancellationToken cancellationToken) =>
        socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);

    /// <summary>
    /// Reads the rest of the message whose first frame <paramref name="first"/> announced: the whole message, the
    /// peer's close, or enough of a message to know it is too big. Call with the read turn held.
    /// </summary>
    public ValueTask<ReceiveResult> ReadMessageAsync(ValueWebSocketReceiveResult first, CancellationToken cancellationToken)
    {
        if (first.MessageType == WebSocketMessageType.Close)
            return ValueTask.FromResult(ReceiveResult.PeerClosed);
        if (first.EndOfMessage)
            return ValueTask.FromResult(ReceiveResult.Of(new WebSocketMessage(first.MessageType, Array.Empty<byte>())));
        return ReadPayloadAsync(first.MessageType, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReceiveResult> ReadPayloadAsync(WebSocketMessageType type, CancellationToken cancellationToken)
    {
        // Reading one byte past the limit is how a message over it shows itself. In long, because
        // the limit may be int.MaxValue.
        var readLimit = (long)maxMessageBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(FirstBufferBytes, readLimit));
        try
        {
            var count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (Grow(buffer, count, readLimit) is not { } larger)
                        return ReceiveResult.TooBig;
                    buffer = larger;
                }
                var room = (int)Math.Min(buffer.Length - count, readLimit - count);
                var result = await socket.ReceiveAsync(buffer.AsMemory(count, room), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                    return ReceiveResult.PeerClosed;
                count += result.Count;
                if (count > maxMessageBytes)
                    return ReceiveResult.TooBig;
                if (result.EndOfMessage)
                    return ReceiveResult.Of(new WebSocketMessage(type, buffer.AsSpan(0, count).ToArray()));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads and drops whatever the peer still sends until its close frame. Call with the read turn held.</summary>
    public async Task DiscardUntilCloseAsync(CancellationToken cancellationToken)
    {
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

    /// <summary>A buffer twice as large holding the first <paramref name="count"/> bytes, or null when no array can be larger (the message is then too big to hold).</summary>
    private static byte[]? Grow(byte[] buffer, int count, long readLimit)
    {
        var length = Math.Min(Math.Min((long)buffer.Length * 2, readLimit), Array.MaxLength);
        if (length <= buffer.Length)
            return null;
        var larger = ArrayPool<byte>.Shared.Rent((int)length);
        buffer.AsSpan(0, count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
