using System.Buffers;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Tests.Http1;

/// <summary>The host kit's sans-I/O head parser, through <see cref="Http1Protocol.ReadHead"/>: bytes in, a head, "need more", or a rejection out.</summary>
public class HeadParserTests
{
    private static readonly HttpLimits Limits = HttpLimits.Default;

    public static TheoryData<string> WellFormed =>
    [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /path/x?q=1&r=%20 HTTP/1.1\r\nHost: a:8000\r\nUser-Agent: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        "GET http://example.com/abs?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET http://example.com?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ];

    [Theory, MemberData(nameof(WellFormed))]
    public void Every_split_point_gives_the_same_head(string request)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        var whole = Describe(Feed(new Http1Protocol(Limits), bytes));
        for (var at = 1; at < bytes.Length; at++)
        {
            // Two reads, as a socket delivers them; and one read of a sequence of two segments.
            Assert.Equal(whole, Describe(Feed(new Http1Protocol(Limits), bytes[..at], bytes[at..])));
            var protocol = new Http1Protocol(Limits);
            Assert.Equal(HeadStatus.Complete, protocol.ReadHead(SequenceBuilder.Split(bytes, at), out var consumed, out _));
            Assert.Equal(bytes.Length, SequenceBuilder.Split(bytes, at).Slice(0, consumed).Length);
            Assert.Equal(whole, Describe(protocol));
        }
    }

    [Theory, MemberData(nameof(WellFormed))]
    public void Every_prefix_needs_more(string request)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        for (var length = 1; length < bytes.Length; length++)
        {
            var protocol = new Http1Protocol(Limits);
            Assert.Equal(HeadStatus.NeedMore, protocol.ReadHead(new ReadOnlySequence<byte>(bytes, 0, length), out _, out var examined));
            Assert.Equal(length, new ReadOnlySequence<byte>(bytes, 0, length).Slice(0, examined).Length);
        }
    }

    [Fact]
    public void A_head_trickled_one_byte_at_a_time_is_scanned_once_not_once_per_read()
    {
        // A client that sends a byte per packet must cost O(n), not O(n^2): the parser keeps its place in
        // the current line instead of rescanning the buffer on each read.
        var bytes = Encoding.ASCII.GetBytes("GET /trickle HTTP/1.1\r\nHost: a\r\nX-Long: " + new string('v', 4000) + "\r\nUser-Agent: slow\r\n\r\n");
        var protocol = new Http1Protocol(Limits);
        var pieces = bytes.Select(b => new[] { b }).ToArray();
        Feed(protocol, pieces);
        Assert.Equal(Http1Phase.Running, protocol.Phase);
        Assert.Equal(bytes.Length, protocol.HeadBytesScanned);
    }

    [Fact]
    public void Bytes_scanned_grow_linearly_with_the_head()
    {
        long ScannedFor(int valueLength)
        {
            var bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', valueLength) + "\r\n\r\n");
            var protocol = new Http1Protocol(Limits);
            Feed(protocol, [.. bytes.Chunk(7)]);
            return protocol.HeadBytesScanned;
        }
        var small = ScannedFor(1000);
        var large = ScannedFor(10_000);
        // Ten times the bytes, ten times the work (to within the fixed part), where a rescanning parser does ~100x.
        Assert.Equal(9000, large - small);
    }

    [Fact]
    public void Fields_are_parsed()
    {
        var request = "POST /echo?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\n";
        var protocol = new Http1Protocol(Limits);
        var bytes = Encoding.ASCII.GetBytes(request + "hello");
        Assert.Equal(HeadStatus.Complete, protocol.ReadHead(new ReadOnlySequence<byte>(bytes), out var consumed, out _));
        var head = protocol.Head;
        Assert.Equal(("POST", "/echo?a=1", HttpVersion.Http11, 5L, false, true), (head.Method, head.Target, head.Version, head.ContentLength, head.IsChunked, head.KeepAlive));
        Assert.Equal("1, 2", head.GetHeader("X-TWICE"));
        Assert.Equal("h", head.GetHeader("host"));
        Assert.Equal(request.Length, new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length);
    }

    [Theory]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    public void Keep_alive_follows_version_and_connection(string request, bool keepAlive)
    {
        Assert.Equal(keepAlive, Feed(new Http1Protocol(Limits), Encoding.ASCII.GetBytes(request)).Head.KeepAlive);
    }

    [Fact]
    public void Upgrade_expect_chunked_and_absolute_form_are_recognised()
    {
        Assert.True(Parse("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n").WantsWebSocket);
        Assert.False(Parse("POST /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n").WantsWebSocket);
        Assert.False(Parse("GET /ws HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n").WantsWebSocket);
        var expect = Parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
        Assert.Equal((true, true, null), (expect.ExpectContinue, expect.IsChunked, expect.ContentLength));
        // The target is kept as sent; PATH_INFO comes from RequestTarget.Split.
        Assert.Equal("http://example.com/p?q", Parse("GET http://example.com/p?q HTTP/1.1\r\nHost: example.com\r\n\r\n").Target);
    }

    [Fact]
    public void Pipelined_requests_are_parsed_one_at_a_time()
    {
        var first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
        var bytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(first + "GET /two HTTP/1.1\r\nHost: a\r\n\r\n"));
        var protocol = new Http1Protocol(Limits);
        Assert.Equal(HeadStatus.Complete, protocol.ReadHead(bytes, out var consumed, out _));
        Assert.Equal(("/one", first.Length), (protocol.Head.Target, bytes.Slice(0, consumed).Length));
        Finish(protocol);
        Assert.Equal(HeadStatus.Complete, protocol.ReadHead(bytes.Slice(consumed), out _, out _));
        Assert.Equal("/two", protocol.Head.Target);
    }

    [Fact]
    public void An_empty_line_before_a_pipelined_request_line_is_ignored()
    {
        // RFC 9112 2.2: a client may send a stray CRLF after a body; the server SHOULD ignore it.
        var protocol = new Http1Protocol(Limits);
        Feed(protocol, Encoding.ASCII.GetBytes("GET /one HTTP/1.1\r\nHost: a\r\n\r\n"));
        Finish(protocol);
        Feed(protocol, Encoding.ASCII.GetBytes("\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n"));
        Assert.Equal(("/two", Http1Phase.Running), (protocol.Head.Target, protocol.Phase));
    }

    [Theory]
    [InlineData("GET/ HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.InvalidMethod)]
    [InlineData(" / HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.MalformedRequestLine)]
    [InlineData("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.InvalidMethod)]
    [InlineData("GET /\r\nHost: a\r\n\r\n", RequestRejection.MalformedRequestLine)]
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n", RequestRejection.LineNotCrlf)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n", RequestRejection.LineNotCrlf)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", RequestRejection.ObsoleteLineFolding)]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n", RequestRejection.InvalidHeaderName)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n", RequestRejection.InvalidHeaderName)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n", RequestRejection.InvalidHeaderValue)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", RequestRejection.MalformedHeaderLine)]
    [InlineData("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.MalformedVersion)]
    [InlineData("GET /a\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.InvalidTarget)]
    [InlineData("GET relative HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.InvalidTarget)]
    [InlineData("GET * HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.InvalidTarget)]
    [InlineData("GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", RequestRejection.InvalidTarget)]
    [InlineData("GET http://user@h/x HTTP/1.1\r\nHost: h\r\n\r\n", RequestRejection.InvalidTarget)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", RequestRejection.ContentLengthWithTransferEncoding)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", RequestRejection.ConflictingContentLength)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", RequestRejection.InvalidContentLength)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5x\r\n\r\n", RequestRejection.InvalidContentLength)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", RequestRejection.InvalidTransferEncoding)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", RequestRejection.UnsupportedTransferCoding)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", RequestRejection.InvalidTransferEncoding)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", RequestRejection.InvalidContentLength)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", RequestRejection.InvalidTransferEncoding)]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", RequestRejection.TransferEncodingInHttp10)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", RequestRejection.MissingOrMultipleHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", RequestRejection.MissingOrMultipleHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", RequestRejection.InvalidHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", RequestRejection.InvalidHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", RequestRejection.InvalidHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", RequestRejection.InvalidHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: a:\r\n\r\n", RequestRejection.InvalidHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", RequestRejection.InvalidHost)]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", RequestRejection.InvalidHost)]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", RequestRejection.UnsupportedVersion)]
    [InlineData("GET / HTTX/1.1\r\nHost: a\r\n\r\n", RequestRejection.MalformedVersion)]
    public void Malformed_requests_get_their_rejection(string request, RequestRejection expected)
    {
        var protocol = new Http1Protocol(Limits);
        Assert.Equal(HeadStatus.Rejected, protocol.ReadHead(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(request)), out _, out _));
        Assert.Equal((expected, Http1Phase.Error), (protocol.Rejection, protocol.Phase));
    }

    [Fact]
    public void Limits_give_414_431_and_413_even_before_the_head_is_complete()
    {
        var small = new HttpLimits { MaxRequestLineBytes = 32, MaxRequestHeadersBytes = 64, MaxRequestHeaderCount = 3, MaxRequestBodyBytes = 10 };
        Assert.Equal(414, Fail("GET /" + new string('a', 40) + " HTTP/1.1\r\nHost: a\r\n\r\n", small));
        Assert.Equal(414, Fail("GET /" + new string('a', 40), small));
        Assert.Equal(431, Fail("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('b', 80) + "\r\n\r\n", small));
        Assert.Equal(431, Fail("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('b', 80), small));
        Assert.Equal(431, Fail("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small));
        Assert.Equal(413, Fail("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", small));
        Assert.Equal(Http1Phase.Running, Feed(new Http1Protocol(small), Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n")).Phase);

        // A request line of exactly the limit is accepted, also while its LF has not arrived yet.
        var atLimit = "GET /" + new string('a', 32 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        Assert.Equal(32, atLimit.Length);
        Assert.Equal(HeadStatus.NeedMore, new Http1Protocol(small).ReadHead(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(atLimit + "\r")), out _, out _));
        Assert.Equal(Http1Phase.Running, Feed(new Http1Protocol(small), Encoding.ASCII.GetBytes(atLimit + "\r\nHost: a\r\n\r\n")).Phase);
    }

    [Fact]
    public void The_header_budget_carries_across_reads()
    {
        var small = HttpLimits.Default with { MaxRequestHeadersBytes = 64 };
        var protocol = new Http1Protocol(small);
        // Each read brings a line well under the budget; together they are over it.
        Feed(protocol, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n"), Encoding.ASCII.GetBytes("X-One: " + new string('1', 20) + "\r\n"),
            Encoding.ASCII.GetBytes("X-Two: " + new string('2', 20) + "\r\n"), Encoding.ASCII.GetBytes("X-Three: " + new string('3', 20) + "\r\n\r\n"));
        Assert.Equal((RequestRejection.HeadersTooLarge, Http1Phase.Error), (protocol.Rejection, protocol.Phase));
    }

    private static int Fail(string request, HttpLimits limits)
    {
        var protocol = new Http1Protocol(limits);
        Assert.Equal(HeadStatus.Rejected, protocol.ReadHead(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(request)), out _, out _));
        return RequestRejections.Status(protocol.Rejection!.Value);
    }

    private static RequestHead Parse(string request) => Feed(new Http1Protocol(Limits), Encoding.ASCII.GetBytes(request)).Head;

    /// <summary>Feeds <paramref name="pieces"/> in turn, keeping what was not consumed as a pipe would, until the head is read or refused.</summary>
    internal static Http1Protocol Feed(Http1Protocol protocol, params byte[][] pieces)
    {
        var pending = Array.Empty<byte>();
        foreach (var piece in pieces)
        {
            pending = [.. pending, .. piece];
            var buffer = new ReadOnlySequence<byte>(pending);
            var status = protocol.ReadHead(buffer, out var consumed, out _);
            pending = buffer.Slice(consumed).ToArray();
            if (status != HeadStatus.NeedMore)
                break;
        }
        return protocol;
    }

    /// <summary>Answers the current request with an empty 200, so the protocol moves on to the next.</summary>
    internal static void Finish(Http1Protocol protocol)
    {
        var head = new ResponseHead();
        head.Start(200, []);
        protocol.StartResponse(new ArrayBufferWriter<byte>(), head, Body.Empty, hostKeepsConnection: true);
        protocol.FinishResponse();
    }

    private static string Describe(Http1Protocol protocol)
    {
        Assert.Equal(Http1Phase.Running, protocol.Phase);
        var head = protocol.Head;
        return $"{head.Method} {head.Target} {head.Version} cl={head.ContentLength} chunked={head.IsChunked} ka={head.KeepAlive} expect={head.ExpectContinue} ws={head.WantsWebSocket} " +
            string.Join("|", head.Headers().Select(h => $"{h.Key}={h.Value}"));
    }
}
