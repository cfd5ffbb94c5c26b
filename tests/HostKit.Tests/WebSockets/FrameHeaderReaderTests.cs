using HostKit.Hosts;
using HostKit.Tests.Support;

namespace HostKit.Tests.WebSockets;

/// <summary>The frame header reader under the engine: what headers declare, whatever way the bytes are split.</summary>
public class FrameHeaderReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void A_message_declared_in_fragments_is_counted_as_one_total_however_the_bytes_are_split(int readSize)
    {
        byte[] bytes =
        [
            .. RawWebSocketClient.Frame(0x2, new byte[100], fin: false),
            .. RawWebSocketClient.Frame(0x9, new byte[5]), // a ping between fragments counts for nothing
            .. RawWebSocketClient.Frame(0x0, new byte[300], fin: false), // 16-bit length
            .. RawWebSocketClient.Header(0x80, 70_000), // 64-bit length, header only
        ];
        var reader = new FrameHeaderReader();
        for (var i = 0; i < bytes.Length; i += readSize)
            reader.Read(bytes.AsSpan(i, Math.Min(readSize, bytes.Length - i)));
        Assert.Equal(100 + 300 + 70_000, reader.DeclaredMessageBytes);
        Assert.False(reader.SawClose);
    }

    [Fact]
    public void A_new_message_starts_a_new_total()
    {
        var reader = new FrameHeaderReader();
        reader.Read(RawWebSocketClient.Frame(0x1, new byte[120]));
        reader.Read(RawWebSocketClient.Frame(0x2, new byte[7]));
        Assert.Equal(7, reader.DeclaredMessageBytes);
    }

    [Fact]
    public void A_length_with_the_top_bit_set_counts_as_the_largest_and_a_continuation_never_wraps()
    {
        var reader = new FrameHeaderReader();
        reader.Read(RawWebSocketClient.Header(0x02, 1UL << 62));
        Assert.Equal(1L << 62, reader.DeclaredMessageBytes);
        var other = new FrameHeaderReader();
        other.Read(RawWebSocketClient.Header(0x02, ulong.MaxValue));
        Assert.Equal(long.MaxValue, other.DeclaredMessageBytes);
    }

    [Fact]
    public void An_unmasked_close_frame_is_seen_whole_and_what_follows_is_a_new_header()
    {
        var reader = new FrameHeaderReader();
        // Server frames are unmasked: 0x88, length 2, the code.
        reader.Read([0x88, 0x02, 0x03, 0xE9]);
        Assert.True(reader.SawClose);
        reader.Read([0x82, 0x01, 0xFF]);
        Assert.Equal(1, reader.DeclaredMessageBytes);
    }
}
