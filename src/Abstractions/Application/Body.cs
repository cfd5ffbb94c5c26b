using System.Text;

namespace HostKit;

/// <summary>
/// A response body: empty, one buffer, a stream, or an asynchronous sequence of chunks.
/// </summary>
/// <remarks>
/// A buffer body is sent as it is, without a copy: keep the memory unchanged until the
/// response is done (a <c>static readonly byte[]</c> is the usual case). A stream body is
/// disposed by the host once sent, or once it knows it will not be sent (HEAD, 204, a failure).
/// A stream or chunk body with a known length must yield exactly that many bytes, or the host
/// aborts the connection: the length is a promise made on the wire.
/// </remarks>
public readonly struct Body
{
    private readonly object? _source;

    private readonly long? _length;

    private Body(BodyKind kind, ReadOnlyMemory<byte> buffer, object? source, long? length)
    {
        Kind = kind;
        Buffer = buffer;
        _source = source;
        _length = length;
    }

    /// <summary>An empty body.</summary>
    public static Body Empty => default;

    /// <summary>What this body is made of.</summary>
    public BodyKind Kind { get; }

    /// <summary>The bytes of a <see cref="BodyKind.Buffer"/> body; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Buffer { get; }

    /// <summary>The length in bytes when known before sending (empty, buffer, or a stream of stated length); otherwise null.</summary>
    public long? Length => Kind == BodyKind.Empty ? 0 : _length;

    /// <summary>The stream of a <see cref="BodyKind.Stream"/> body; null otherwise.</summary>
    public Stream? Stream => _source as Stream;

    /// <summary>The chunks of a <see cref="BodyKind.Chunks"/> body; null otherwise.</summary>
    public IAsyncEnumerable<ReadOnlyMemory<byte>>? Chunks => _source as IAsyncEnumerable<ReadOnlyMemory<byte>>;

    /// <summary>A body of one buffer, sent without copying.</summary>
    public static Body Of(ReadOnlyMemory<byte> bytes) =>
        bytes.IsEmpty ? Empty : new Body(BodyKind.Buffer, bytes, null, bytes.Length);

    /// <summary>A body of <paramref name="text"/> encoded as UTF-8.</summary>
    public static Body Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    /// <summary>A body holding a copy of <paramref name="bytes"/> (for example a <c>"..."u8</c> literal).</summary>
    public static Body Copy(ReadOnlySpan<byte> bytes) => Of(bytes.ToArray());

    /// <summary>A body read from <paramref name="stream"/>, which the host disposes once sent.</summary>
    /// <param name="stream">The stream to send from its current position to its end.</param>
    /// <param name="length">The number of bytes the stream will yield, if known; lets the host send <c>Content-Length</c>.</param>
    public static Body Of(Stream stream, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length ?? 0, nameof(length));
        return new Body(BodyKind.Stream, default, stream, length);
    }

    /// <summary>A body produced chunk by chunk; the host sends each chunk as it arrives.</summary>
    public static Body Of(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return new Body(BodyKind.Chunks, default, chunks, null);
    }

    /// <summary>Lets a synchronous application <c>return Body.Of(...)</c> from an <see cref="Application"/>.</summary>
    public static implicit operator ValueTask<Body>(Body body) => new(body);
}
