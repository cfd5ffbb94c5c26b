using System.Buffers;
using System.Text;
using HostKit.Hosts;
using HostKit.Hosts.Raw.Http;

namespace HostKit.Tests.Raw;

/// <summary>The Raw host's sans-I/O request parser: bytes in, a head, "need more", or an error out.</summary>
public class HttpRequestParserTests
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
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    ];

    [Theory, MemberData(nameof(WellFormed))]
    public void Every_split_point_gives_the_same_head(string request)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        var whole = Parse(new ReadOnlySequence<byte>(bytes));
        for (var at = 1; at < bytes.Length; at++)
        {
            var head = new RequestHead();
            Assert.Equal(ParseStatus.Complete, HttpRequestParser.TryParse(SequenceBuilder.Split(bytes, at), Limits, head, out var consumed, out _));
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal(whole, Describe(head));
        }
    }

    [Theory, MemberData(nameof(WellFormed))]
    public void Every_prefix_needs_more(string request)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        for (var length = 0; length < bytes.Length; length++)
            Assert.Equal(ParseStatus.NeedMore, HttpRequestParser.TryParse(new ReadOnlySequence<byte>(bytes, 0, length), Limits, new RequestHead(), out _, out _));
    }

    [Fact]
    public void Fields_are_parsed()
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Parse("POST /echo?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\nhello", head, out var consumed));
        Assert.Equal(("POST", "/echo?a=1", HttpVersion.Http11, 5L, false, true), (head.Method, head.Target, head.Version, head.ContentLength, head.IsChunked, head.KeepAlive));
        Assert.Equal("1, 2", head.GetHeader("X-TWICE"));
        Assert.Equal("h", head.GetHeader("host"));
        Assert.Equal(consumed, "POST /echo?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\n".Length);
    }

    [Theory]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    public void Keep_alive_follows_version_and_connection(string request, bool keepAlive)
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, Parse(request, head, out _));
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void Upgrade_expect_chunked_and_absolute_form_are_recognised()
    {
        var head = new RequestHead();
        Parse("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", head, out _);
        Assert.True(head.WantsWebSocket);
        Parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n", head, out _);
        Assert.Equal((true, true, null), (head.ExpectContinue, head.IsChunked, head.ContentLength));
        Parse("GET http://example.com/p?q HTTP/1.1\r\nHost: example.com\r\n\r\n", head, out _);
        Assert.Equal("/p?q", head.Target);
    }

    [Fact]
    public void Pipelined_requests_are_parsed_one_at_a_time()
    {
        var first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(first + "GET /two HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, HttpRequestParser.TryParse(new ReadOnlySequence<byte>(bytes), Limits, head, out var consumed, out _));
        Assert.Equal(("/one", first.Length), (head.Target, consumed));
        Assert.Equal(ParseStatus.Complete, HttpRequestParser.TryParse(new ReadOnlySequence<byte>(bytes).Slice(consumed), Limits, head, out _, out _));
        Assert.Equal("/two", head.Target);
    }

    [Theory]
    [InlineData("GET/ HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400)]
    [InlineData("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET relative HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5x\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400)]
    public void Malformed_requests_get_the_right_status(string request, int status)
    {
        Assert.Equal(ParseStatus.Error, Parse(request, new RequestHead(), out _, out var error));
        Assert.Equal(status, error.Status);
        Assert.False(string.IsNullOrEmpty(error.Reason));
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
        Assert.Equal(ParseStatus.Complete, Parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", new RequestHead(), out _, out _, small));

        // A request line of exactly the limit is accepted, also while its LF has not arrived yet.
        var atLimit = "GET /" + new string('a', 32 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        Assert.Equal(32, atLimit.Length);
        Assert.Equal(ParseStatus.NeedMore, Parse(atLimit + "\r", new RequestHead(), out _, out _, small));
        Assert.Equal(ParseStatus.Complete, Parse(atLimit + "\r\nHost: a\r\n\r\n", new RequestHead(), out _, out _, small));
    }

    private static int Fail(string request, HttpLimits limits)
    {
        Assert.Equal(ParseStatus.Error, Parse(request, new RequestHead(), out _, out var error, limits));
        return error.Status;
    }

    private static string Parse(ReadOnlySequence<byte> bytes)
    {
        var head = new RequestHead();
        Assert.Equal(ParseStatus.Complete, HttpRequestParser.TryParse(bytes, Limits, head, out _, out _));
        return Describe(head);
    }

    private static ParseStatus Parse(string request, RequestHead head, out int consumed) => Parse(request, head, out consumed, out _);

    private static ParseStatus Parse(string request, RequestHead head, out int consumed, out HttpError error, HttpLimits? limits = null) =>
        HttpRequestParser.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(request)), limits ?? Limits, head, out consumed, out error);

    private static string Describe(RequestHead head) =>
        $"{head.Method} {head.Target} {head.Version} cl={head.ContentLength} chunked={head.IsChunked} ka={head.KeepAlive} expect={head.ExpectContinue} ws={head.WantsWebSocket} " +
        string.Join("|", head.Headers().Select(h => $"{h.Key}={h.Value}"));
}
