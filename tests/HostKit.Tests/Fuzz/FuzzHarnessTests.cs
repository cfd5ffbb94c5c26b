using System.Text;
using HostKit.Fuzz;
using HostKit.Hosts;

namespace HostKit.Tests.Fuzz;

/// <summary>
/// The fuzzing harness (fuzz/README.md) under the ordinary test run: every seed passes its target's
/// oracles, and the oracles' own parts fail when they should, so a quiet campaign means something.
/// </summary>
public class FuzzHarnessTests
{
    public static TheoryData<string, string> Seeds()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in Targets.All)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(CorpusRoot(), target.Name)).Order(StringComparer.Ordinal))
                data.Add(target.Name, Path.GetFileName(file));
        }
        return data;
    }

    [Theory, MemberData(nameof(Seeds))]
    public void Every_seed_passes_its_targets_oracles(string target, string seed)
    {
        Targets.Find(target)!.Run(File.ReadAllBytes(Path.Combine(CorpusRoot(), target, seed)));
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in Targets.All)
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(CorpusRoot(), target.Name)));
    }

    [Theory]
    [InlineData("5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nGET", "hello, world", 50)]
    [InlineData("000a\r\n0123456789\r\n0\r\n\r\n", "0123456789", 23)]
    public void The_reference_decoder_reads_a_complete_body_and_where_it_ends(string body, string payload, long end)
    {
        var verdict = ChunkedReference.Decode(Encoding.ASCII.GetBytes(body), 0, long.MaxValue);
        Assert.Equal((payload, end, (RequestRejection?)null), (Encoding.ASCII.GetString(verdict.Payload!), verdict.End, verdict.Rejection));
    }

    // The same malformed and oversized bodies ChunkedDecoderTests gives the decoder, with a 10-byte limit.
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
    [InlineData("5\r\nhel", RequestRejection.IncompleteBody)]
    public void The_reference_decoder_refuses_what_the_decoder_refuses(string body, RequestRejection expected)
    {
        Assert.Equal(expected, ChunkedReference.Decode(Encoding.ASCII.GetBytes(body), 0, maxBodyBytes: 10).Rejection);
    }

    // The decoder's fixed bounds (4 KiB of chunk extension, 16 KiB of trailers) need inputs too large for a
    // fast seed corpus: the chunked target's oracles run on them here, at each bound and one byte past it.
    [Theory]
    [InlineData(4095)]
    [InlineData(4096)]
    public void The_chunked_target_holds_at_the_extension_bound(int extensionBytes)
    {
        var body = "3;" + new string('e', extensionBytes) + "\r\nabc\r\n0\r\n\r\n";
        new ChunkedTarget().Run(Encoding.ASCII.GetBytes(body + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        // The bound counts the extension's bytes and its CR.
        var verdict = ChunkedReference.Decode(Encoding.ASCII.GetBytes(body), 0, long.MaxValue);
        Assert.Equal(extensionBytes < 4096 ? null : RequestRejection.InvalidChunkedBody, verdict.Rejection);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void The_chunked_target_holds_at_the_trailer_bound(int over)
    {
        // Sixteen trailer lines of 1024 bytes each, CRLFs not counted, then one of `over` bytes.
        var trailers = string.Concat(Enumerable.Repeat("X-Pad: " + new string('p', 1017) + "\r\n", 16)) + (over > 0 ? new string('z', over) + "\r\n" : "");
        new ChunkedTarget().Run(Encoding.ASCII.GetBytes("3\r\nabc\r\n0\r\n" + trailers + "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        var verdict = ChunkedReference.Decode(Encoding.ASCII.GetBytes("0\r\n" + trailers + "\r\n"), 0, long.MaxValue);
        Assert.Equal(over == 0 ? null : RequestRejection.InvalidChunkedBody, verdict.Rejection);
    }

    [Fact]
    public void Transcripts_that_differ_are_a_violation()
    {
        Transcript.Same("the connection", ["head 0-20", "closed"], "whole", ["head 0-20", "closed"], "split");
        var violation = Assert.Throws<OracleViolation>(() => Transcript.Same("the connection", ["head 0-20", "closed"], "whole", ["head 0-21"], "split"));
        Assert.Contains("line 0", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pipe_refuses_positions_outside_the_buffer_it_handed_out()
    {
        var bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n");
        var pipe = new SegmentedPipe([bytes.AsMemory(0, 8), bytes.AsMemory(8)], packPieces: false, segmentCapacity: 64);
        pipe.Deliver();
        pipe.Deliver();
        var buffer = pipe.Read();
        pipe.AdvanceTo(buffer, buffer.GetPosition(4), buffer.GetPosition(10), "test");
        var rest = pipe.Read();
        Assert.Equal(bytes.Length - 4, rest.Length);
        // Consumed before the start of the buffer, and examined before consumed: both break the pipe contract.
        Assert.Throws<OracleViolation>(() => pipe.AdvanceTo(rest, buffer.Start, rest.End, "test"));
        Assert.Throws<OracleViolation>(() => pipe.AdvanceTo(rest, rest.GetPosition(3), rest.GetPosition(2), "test"));
        Assert.True(pipe.IsEnd(rest, rest.End, "test"));
        Assert.False(pipe.IsEnd(rest, rest.Start, "test"));
    }

    private static string CorpusRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HostKit.sln")))
            directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("no HostKit.sln above " + AppContext.BaseDirectory), "fuzz", "corpus");
    }
}
