using HostKit.Tests.Conformance;
using HostKit.Tests.Support;

namespace HostKit.Tests.HttpListener;

/// <summary>
/// The two holes httplistener's engine leaves in request framing, which its adapter cannot see (docs/limits.md): each
/// is shown open on the bare host, then closed by nginx in front of it, with nginx's defaults. This is what
/// docs/hosts.md means by "belongs behind a reverse proxy on an untrusted network".
/// </summary>
public class HttpListenerBehindNginxTests
{
    private const string SpaceBeforeColon = "POST /echo HTTP/1.1\r\nHost: {0}\r\nContent-Length : 5\r\n\r\nhello";
    private const string CutShortChunked = "POST /echo HTTP/1.1\r\nHost: {0}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nabc";

    [Fact]
    public async Task A_space_before_the_colon_reaches_the_bare_host_as_a_length_and_nginx_refuses_it()
    {
        await using var server = await ServerUnderTest.StartAsync("httplistener");
        await using var nginx = await NginxServer.InFrontOfAsync(server.Address);

        await using (var bare = await server.OpenConnectionAsync())
        {
            await bare.SendAsync(Fill(SpaceBeforeColon, server.Address));
            var answer = await bare.ReadResponseAsync();
            Assert.Equal((200, "hello"), (answer.Status, answer.Text)); // the engine read "Content-Length " as Content-Length
        }

        var proxied = await LoopbackConnection.ExchangeAsync(nginx.Address, Fill(SpaceBeforeColon, nginx.Address) + Fill(AmbiguousFramingConformanceTests.Hidden, nginx.Address));
        Assert.StartsWith("HTTP/1.1 400 ", proxied, StringComparison.Ordinal);
        Assert.Contains("Server: nginx", proxied, StringComparison.Ordinal);
        Assert.DoesNotContain(AmbiguousFramingConformanceTests.Hello, proxied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_cut_short_by_a_half_close_is_answered_whole_by_the_bare_host_and_never_reaches_it_through_nginx()
    {
        await using var server = await ServerUnderTest.StartAsync("httplistener");
        await using var nginx = await NginxServer.InFrontOfAsync(server.Address);

        Assert.Contains("helloabc", await SendHalfClosedAsync(server.Address), StringComparison.Ordinal); // the engine took EOF for the body's end

        var proxied = await SendHalfClosedAsync(nginx.Address);
        Assert.DoesNotContain("helloabc", proxied, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/1.1 200 ", proxied, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(AmbiguousShapes))]
    public async Task Ambiguous_framing_through_nginx_is_refused_and_a_hidden_request_is_never_served(string framing)
    {
        await using var server = await ServerUnderTest.StartAsync("httplistener");
        await using var nginx = await NginxServer.InFrontOfAsync(server.Address);

        var proxied = await LoopbackConnection.ExchangeAsync(nginx.Address, Fill("POST /echo HTTP/1.1\r\nHost: {0}\r\n" + framing + AmbiguousFramingConformanceTests.Hidden, nginx.Address));
        Assert.Matches(@"^HTTP/1\.1 (400|501) ", proxied);
        Assert.Equal(1, LoopbackConnection.CountStatusLines(proxied));
        Assert.DoesNotContain(AmbiguousFramingConformanceTests.Hello, proxied, StringComparison.Ordinal);
    }

    public static TheoryData<string> AmbiguousShapes() => [.. AmbiguousFramingConformanceTests.FramingShapes];

    private static async Task<string> SendHalfClosedAsync(Uri address)
    {
        await using var connection = await LoopbackConnection.OpenAsync(address);
        await connection.SendAsync(Fill(CutShortChunked, address));
        connection.ShutdownSend();
        return await connection.ReadTextUntilClosedAsync();
    }

    private static string Fill(string template, Uri address) => template.Replace("{0}", address.Authority, StringComparison.Ordinal);
}
