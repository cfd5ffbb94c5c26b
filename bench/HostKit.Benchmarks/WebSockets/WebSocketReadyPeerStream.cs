namespace HostKit.Benchmarks.WebSockets;

/// <summary>
/// A connection to a peer that is always ready: every write and flush completes at once, and every read
/// returns the next bytes of one client frame, repeated forever. The engine then never waits, so what is
/// measured is the send or receive path alone, with nothing of the engine's own asynchrony in it.
/// </summary>
internal sealed class WebSocketReadyPeerStream(byte[] frame) : Stream
{
    private int _position;

    /// <summary>A masked binary frame of <paramref name="payloadBytes"/> zero bytes, as a client sends it (the mask key is zero, so the payload reads as sent).</summary>
    public static byte[] ClientBinaryFrame(int payloadBytes)
    {
        var header = new List<byte> { 0x82 };
        if (payloadBytes < 126)
        {
            header.Add((byte)(0x80 | payloadBytes));
        }
        else if (payloadBytes <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payloadBytes >> 8));
            header.Add((byte)payloadBytes);
        }
        else
        {
            header.Add(0x80 | 127);
            for (var shift = 56; shift >= 0; shift -= 8)
                header.Add((byte)((long)payloadBytes >> shift));
        }
        header.AddRange([0, 0, 0, 0]);
        return [.. header, .. new byte[payloadBytes]];
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = Math.Min(buffer.Length, frame.Length - _position);
        frame.AsSpan(_position, count).CopyTo(buffer.Span);
        _position = (_position + count) % frame.Length;
        return new ValueTask<int>(count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).Result;

    public override void Write(byte[] buffer, int offset, int count)
    {
    }

    public override void Flush()
    {
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
