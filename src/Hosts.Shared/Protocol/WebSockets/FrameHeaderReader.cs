using System.Buffers.Binary;

namespace HostKit.Hosts.Protocol;

/// <summary>
/// Follows the frames of one direction of a websocket connection (sans-I/O: bytes in, nothing out) and
/// keeps what their headers declare, so that a limit can be applied when a header arrives rather than
/// once its payload has been read: the declared size of the message under way (the sum of its data frames'
/// lengths so far), and whether a close frame has gone by. Payloads are skipped, never looked at.
/// </summary>
/// <remarks>It reads what the engine will read, in the same order; a header the engine refuses (say, a length with the top bit set) only has to be counted conservatively.</remarks>
internal sealed class FrameHeaderReader
{
    private const int MaxHeaderBytes = 14;
    private const byte Continuation = 0x0;
    private const byte Text = 0x1;
    private const byte Binary = 0x2;
    private const byte Close = 0x8;

    private readonly byte[] _header = new byte[MaxHeaderBytes];
    private int _headerCount;
    private int _headerLength = 2;
    private long _payloadRemaining;

    /// <summary>The payload bytes the frames of the current data message declared so far (saturating at <see cref="long.MaxValue"/>).</summary>
    public long DeclaredMessageBytes { get; private set; }

    /// <summary>True once a close frame's header has gone by.</summary>
    public bool SawClose { get; private set; }

    /// <summary>Follows <paramref name="bytes"/>, the next bytes of the connection in this direction.</summary>
    public void Read(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_payloadRemaining > 0)
            {
                var skipped = (int)Math.Min(_payloadRemaining, bytes.Length);
                _payloadRemaining -= skipped;
                bytes = bytes[skipped..];
                continue;
            }
            var taken = Math.Min(_headerLength - _headerCount, bytes.Length);
            bytes[..taken].CopyTo(_header.AsSpan(_headerCount));
            _headerCount += taken;
            bytes = bytes[taken..];
            if (_headerCount == 2)
                _headerLength = 2 + ExtendedLengthBytes(_header[1]) + ((_header[1] & 0x80) != 0 ? 4 : 0);
            if (_headerCount == _headerLength)
                EndHeader();
        }
    }

    private static int ExtendedLengthBytes(byte second) => (second & 0x7F) switch
    {
        126 => 2,
        127 => 8,
        _ => 0,
    };

    private void EndHeader()
    {
        var opcode = (byte)(_header[0] & 0x0F);
        long length = (_header[1] & 0x7F) switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            // The top bit must be 0 (RFC 6455 5.2); a length with it set is counted as the largest there is.
            127 => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)), long.MaxValue),
            var small => small,
        };
        if (opcode == Close)
            SawClose = true;
        else if (opcode == Continuation)
            DeclaredMessageBytes = length > long.MaxValue - DeclaredMessageBytes ? long.MaxValue : DeclaredMessageBytes + length;
        else if (opcode is Text or Binary)
            DeclaredMessageBytes = length; // the first frame of a message
        _payloadRemaining = length;
        _headerCount = 0;
        _headerLength = 2;
    }
}
