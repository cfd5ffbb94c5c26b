using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// Sends a <see cref="Body"/> the way its <see cref="ResponsePlan"/> says, the same on every host:
/// a buffer in one write, a stream of known length under 16 KiB gathered into one write, a longer stream or chunks piece
/// by piece, a declared length held to exactly,
/// and a failure blamed on the right side (the application's body, or the connection).
/// </summary>
public static class ResponseBodyWriter
{
    private const int StreamBufferBytes = 16 * 1024;

    /// <summary>
    /// Writes <paramref name="body"/> to <paramref name="sink"/>, or discards it when the plan sends no body.
    /// A stream body is disposed either way.
    /// </summary>
    /// <exception cref="ResponseBodyLengthException">A stream or chunk body yielded fewer or more bytes than <see cref="ResponsePlan.ExactBodyLength"/>; nothing past the declared length was written.</exception>
    /// <exception cref="ClientDisconnectedException">The sink failed: the connection is gone.</exception>
    /// <remarks>Anything else thrown comes from the application's stream or enumerator.</remarks>
    public static ValueTask WriteAsync<TSink>(Body body, ResponsePlan plan, TSink sink, CancellationToken cancellationToken)
        where TSink : IBodySink
    {
        if (!plan.SendsBody)
            return DiscardAsync(body);
        return body.Kind == BodyKind.Buffer
            ? WriteToSinkAsync(sink, body.Buffer, cancellationToken)
            : WriteStreamedAsync(body, plan.ExactBodyLength, sink, cancellationToken);
    }

    /// <summary>Releases a body that will not be sent (a response without a body, a failure, an accepted websocket): disposes a stream body.</summary>
    public static ValueTask DiscardAsync(Body body) => body.Stream is { } stream ? stream.DisposeAsync() : ValueTask.CompletedTask;

    private static async ValueTask WriteStreamedAsync<TSink>(Body body, long? exact, TSink sink, CancellationToken cancellationToken)
        where TSink : IBodySink
    {
        try
        {
            await CopyAsync(body, exact, sink, cancellationToken);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The application's stream or enumerator stopped because the request was aborted: the client left.
            throw new ClientDisconnectedException(ex);
        }
    }

    private static async ValueTask CopyAsync<TSink>(Body body, long? exact, TSink sink, CancellationToken cancellationToken)
        where TSink : IBodySink
    {
        long written = 0;
        if (body.Stream is { } stream)
        {
            await using (stream)
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(StreamBufferBytes);
                try
                {
                    if (exact < buffer.Length)
                    {
                        // Short and of known length: gathered whole, then one write (and on most hosts one send), as a
                        // buffer body goes; a stream that delivers in pieces (a request body echoed back) costs no more
                        // writes than pieces. The room is one byte over the declared length, so a longer stream shows.
                        written = await FillAsync(stream, buffer.AsMemory(0, (int)exact.Value + 1), cancellationToken);
                        if (written > 0)
                            await WriteCountedAsync(sink, buffer.AsMemory(0, (int)written), 0, exact, cancellationToken);
                    }
                    else
                    {
                        int read;
                        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                            written = await WriteCountedAsync(sink, buffer.AsMemory(0, read), written, exact, cancellationToken);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        else if (body.Chunks is { } chunks)
        {
            await foreach (var chunk in chunks.WithCancellation(cancellationToken))
            {
                if (!chunk.IsEmpty)
                    written = await WriteCountedAsync(sink, chunk, written, exact, cancellationToken);
            }
        }
        if (exact is { } expected && written != expected)
            throw new ResponseBodyLengthException($"The response body yielded {written} bytes but declared {expected} (Content-Length); the connection was aborted.");
    }

    /// <summary>Reads <paramref name="stream"/> into <paramref name="room"/> until it ends or the room is full; the count read.</summary>
    private static async ValueTask<long> FillAsync(Stream stream, Memory<byte> room, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < room.Length && (read = await stream.ReadAsync(room[filled..], cancellationToken)) > 0)
            filled += read;
        return filled;
    }

    private static async ValueTask<long> WriteCountedAsync<TSink>(TSink sink, ReadOnlyMemory<byte> piece, long written, long? exact, CancellationToken cancellationToken)
        where TSink : IBodySink
    {
        if (written + piece.Length > exact)
            throw new ResponseBodyLengthException($"The response body yielded more than the {exact} bytes it declared (Content-Length); the connection was aborted.");
        await WriteToSinkAsync(sink, piece, cancellationToken);
        return written + piece.Length;
    }

    private static async ValueTask WriteToSinkAsync<TSink>(TSink sink, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        where TSink : IBodySink
    {
        try
        {
            await sink.WriteAsync(bytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException && ex is not ClientDisconnectedException)
        {
            throw new ClientDisconnectedException(ex);
        }
    }
}
