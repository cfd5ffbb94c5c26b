using HostKit.Hosts;

namespace HostKit.Tests.Http1;

public class ResponseBodyWriterTests
{
    /// <summary>A stream that yields its bytes in pieces of at most <paramref name="piece"/>, as a request body arriving in reads does.</summary>
    private sealed class PiecewiseStream(byte[] bytes, int piece) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
    }

    private sealed class RecordingSink : IBodySink
    {
        public List<byte[]> Writes { get; } = [];

        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            Writes.Add(bytes.ToArray());
            return ValueTask.CompletedTask;
        }
    }

    private static async Task<List<byte[]>> WriteAsync(byte[] bytes, int piece, long? declared)
    {
        var body = Body.Of(new PiecewiseStream(bytes, piece), declared);
        var plan = ResponsePlan.For(new RequestSummary(IsHead: false, IsHttp11: true, KeepAlive: true), 200, null, asksToClose: false, body);
        var sink = new RecordingSink();
        await ResponseBodyWriter.WriteAsync(body, plan, sink, CancellationToken.None);
        return sink.Writes;
    }

    [Fact]
    public async Task A_short_stream_of_known_length_arriving_in_pieces_goes_out_in_one_write()
    {
        var bytes = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
        var writes = await WriteAsync(bytes, piece: 1000, declared: bytes.Length);
        Assert.Equal(bytes, Assert.Single(writes));
    }

    [Fact]
    public async Task A_stream_of_unknown_length_goes_out_as_it_is_read()
    {
        var writes = await WriteAsync(new byte[4096], piece: 1000, declared: null);
        Assert.Equal([1000, 1000, 1000, 1000, 96], writes.Select(w => w.Length));
    }

    [Fact]
    public async Task A_short_stream_longer_than_declared_is_refused_before_any_byte_is_written()
    {
        var refused = await Assert.ThrowsAsync<ResponseBodyLengthException>(() => WriteAsync(new byte[20], piece: 7, declared: 10));
        Assert.Contains("more than the 10 bytes", refused.Message);
    }

    [Fact]
    public async Task A_short_stream_shorter_than_declared_is_refused()
    {
        var refused = await Assert.ThrowsAsync<ResponseBodyLengthException>(() => WriteAsync(new byte[5], piece: 2, declared: 10));
        Assert.Contains("yielded 5 bytes but declared 10", refused.Message);
    }
}
