using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// Request framing that RFC 9112 section 6 calls ambiguous, the shapes request smuggling is made of, each followed by a
/// request hidden where a lenient parser would see a body end: every network host refuses the request (400, or 501 for
/// a transfer coding it does not know), closes the connection, and never serves the hidden request.
/// </summary>
public abstract class AmbiguousFramingConformanceTests
{
    internal const string Hello = "Hello, World!";
    internal const string Hidden = "GET /plaintext HTTP/1.1\r\nHost: {0}\r\n\r\n";

    public static TheoryData<string> StrictHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.StrictRequestParsing);

    /// <summary>Each shape's headers and body, up to where the hidden request starts.</summary>
    internal static readonly string[] FramingShapes =
    [
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello",
        "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "Content-Length: 5, 6\r\n\r\nhello!",
    ];

    /// <summary>
    /// Every network host, httplistener included: its engine answers these itself, before the adapter sees them
    /// (docs/limits.md), and this pins that it does.
    /// </summary>
    public static TheoryData<string, string> Shapes()
    {
        var data = new TheoryData<string, string>();
        foreach (var host in ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network))
        {
            foreach (var shape in FramingShapes)
                data.Add(host, shape);
        }
        return data;
    }

    [HostTheory, MemberData(nameof(Shapes))]
    public async Task Ambiguous_framing_is_refused_the_connection_closes_and_a_hidden_request_is_never_served(string host, string framing)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var answer = await ExchangeAsync(server, "POST /echo HTTP/1.1\r\nHost: {0}\r\n" + framing + Hidden);

        Assert.Equal(1, LoopbackConnection.CountStatusLines(answer));
        Assert.Matches(@"^HTTP/1\.1 (400|501) ", answer);
        Assert.DoesNotContain(Hello, answer, StringComparison.Ordinal);
        Assert.Equal(Hello, await server.Http.GetStringAsync("/plaintext"));
    }

    [HostTheory, MemberData(nameof(StrictHosts))]
    public async Task A_space_before_the_colon_is_refused_not_read_as_a_content_length(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var answer = await ExchangeAsync(server, "POST /echo HTTP/1.1\r\nHost: {0}\r\nContent-Length : 5\r\n\r\nhello" + Hidden);

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Equal(1, LoopbackConnection.CountStatusLines(answer));
        Assert.DoesNotContain(Hello, answer, StringComparison.Ordinal);
    }

    [HostTheory, MemberData(nameof(StrictHosts))]
    public async Task A_chunked_body_cut_short_by_a_half_close_is_never_answered_as_whole(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nabc");
        connection.ShutdownSend();
        var answer = await connection.ReadTextUntilClosedAsync();

        // A host that refuses says 400; one that cannot answer any more just closes. Never 200 with "helloabc".
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 400 ", StringComparison.Ordinal), answer);
        Assert.DoesNotContain("helloabc", answer, StringComparison.Ordinal);
    }

    /// <summary>Sends <paramref name="template"/> (<c>{0}</c>: the server's authority) in one write and reads everything until the server closes.</summary>
    private static Task<string> ExchangeAsync(ServerUnderTest server, string template) =>
        LoopbackConnection.ExchangeAsync(server.Address, template.Replace("{0}", server.Address.Authority, StringComparison.Ordinal));
}
