using System.Buffers;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Tests.Http1;

public class ChunkedDecoderTests
{
    private const string Body = "5;name=value\r\nhello\r\n7\r\n, world\r\nA\r\n0123456789\r\n0\r\nTrailer-One: x\r\nTrailer-Two: y\r\n\r\n";

    [Fact]
    public void Every_split_point_decodes_the_same_payload()
    {
        var bytes = Encoding.ASCII.GetBytes(Body);
        for (var at = 0; at <= bytes.Length; at++)
        {
            var (payload, status, _) = Decode([bytes[..at], bytes[at..]], long.MaxValue);
            Assert.Equal(ChunkStatus.Done, status);
            Assert.Equal("hello, world0123456789", payload);
        }
    }

    [Fact]
    public void Byte_by_byte_decodes_the_same_payload()
    {
        var (payload, status, _) = Decode([.. Encoding.ASCII.GetBytes(Body).Select(b => new[] { b })], long.MaxValue);
        Assert.Equal((ChunkStatus.Done, "hello, world0123456789"), (status, payload));
    }

    [Theory]
    [InlineData("x\r\nhello\r\n0\r\n\r\n", RequestRejection.InvalidChunkedBody)]
    [InlineData("\r\n", RequestRejection.InvalidChunkedBody)]
    [InlineData("5\nhello\r\n0\r\n\r\n", RequestRejection.InvalidChunkedBody)]
    [InlineData("5\r\nhelloXX0\r\n\r\n", RequestRejection.InvalidChunkedBody)]
    [InlineData("1000000000000000\r\n", RequestRejection.InvalidChunkedBody)]
    [InlineData("0\r\n\r\r", RequestRejection.InvalidChunkedBody)]
    [InlineData("0\r\n\nX: y\r\n\r\n", RequestRejection.InvalidChunkedBody)]
    [InlineData("0\r\nX: y\n\r\n", RequestRejection.InvalidChunkedBody)]
    [InlineData("B\r\n01234567890\r\n0\r\n\r\n", RequestRejection.BodyTooLarge)]
    public void Malformed_or_oversized_bodies_are_errors(string body, RequestRejection expected)
    {
        var (_, result, error) = Decode([Encoding.ASCII.GetBytes(body)], maxBodyBytes: 10);
        Assert.Equal(ChunkStatus.Error, result);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_body_cut_short_needs_more()
    {
        var (_, status, _) = Decode([Encoding.ASCII.GetBytes("5\r\nhel")], long.MaxValue);
        Assert.Equal(ChunkStatus.NeedMore, status);
    }

    /// <summary>Feeds the pieces in turn, keeping unconsumed bytes as a socket reader would.</summary>
    private static (string Payload, ChunkStatus Status, RequestRejection Error) Decode(byte[][] pieces, long maxBodyBytes)
    {
        var decoder = new ChunkedDecoder(maxBodyBytes);
        var payload = new StringBuilder();
        var pending = Array.Empty<byte>();
        var status = ChunkStatus.NeedMore;
        RequestRejection error = default;
        foreach (var piece in pieces)
        {
            pending = [.. pending, .. piece];
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending));
            while (true)
            {
                status = decoder.Read(ref reader, out var available, out error);
                if (status != ChunkStatus.Data)
                    break;
                payload.Append(Encoding.ASCII.GetString(reader.UnreadSpan[..(int)Math.Min(available, reader.UnreadSpan.Length)]));
                var taken = Math.Min(available, reader.UnreadSpan.Length);
                reader.Advance(taken);
                decoder.Consume(taken);
            }
            pending = pending[(int)reader.Consumed..];
            if (status is ChunkStatus.Done or ChunkStatus.Error)
                break;
        }
        return (payload.ToString(), status, error);
    }
}
