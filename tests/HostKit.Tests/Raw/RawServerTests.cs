using HostKit.Hosts;
using HostKit.Hosts.Raw;
using HostKit.Tests.Support;

namespace HostKit.Tests.Raw;

/// <summary>What only the Raw host enforces itself: its limits, its timeouts, and its websocket handshake checks.</summary>
public class RawServerTests
{
    private static readonly Application Echo = async (environ, start) =>
    {
        var body = new MemoryStream();
        await environ.Body.CopyToAsync(body);
        start(200, [("Content-Type", "text/plain")]);
        return Body.Of(body.ToArray());
    };

    private static Task<IRunningServer> StartAsync(HttpLimits? limits = null) =>
        new RawHost().StartAsync(Echo, new ServerOptions { Urls = [new Uri("http://127.0.0.1:0")], Limits = limits ?? HttpLimits.Default });

    [Theory]
    [InlineData("GET /{0} HTTP/1.1\r\nHost: a\r\n\r\n", 414)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-Big: {0}\r\n\r\n", 431)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 431)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n", 413)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n{0}\r\n0\r\n\r\n", 413)]
    public async Task Limits_and_smuggling_guards_answer_and_close(string template, int status)
    {
        await using var server = await StartAsync(new HttpLimits { MaxRequestLineBytes = 256, MaxRequestHeadersBytes = 512, MaxRequestHeaderCount = 4, MaxRequestBodyBytes = 1000 });
        await using var connection = await LoopbackConnection.OpenAsync(server.Addresses[0]);
        await connection.SendAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('x', 2048)));
        var response = await connection.ReadResponseAsync();
        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [Fact]
    public async Task A_client_too_slow_with_its_headers_gets_408_and_is_cut_off()
    {
        await using var server = await StartAsync(HttpLimits.Default with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        await using var connection = await LoopbackConnection.OpenAsync(server.Addresses[0]);
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(408, response.Status);
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_when_the_app_reads_the_body()
    {
        await using var server = await StartAsync();
        await using var connection = await LoopbackConnection.OpenAsync(server.Addresses[0]);
        await connection.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal(100, (await connection.ReadResponseAsync()).Status);
        await connection.SendAsync("hello");
        var response = await connection.ReadResponseAsync();
        Assert.Equal((200, "hello"), (response.Status, response.Text));
    }

    [Fact]
    public async Task A_chunked_upload_with_trailers_is_dechunked()
    {
        await using var server = await StartAsync();
        await using var connection = await LoopbackConnection.OpenAsync(server.Addresses[0]);
        await connection.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal((200, "abcde"), (response.Status, response.Text));
    }

    [Theory]
    [InlineData("Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", 426)]
    [InlineData("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n", 400)]
    [InlineData("Sec-WebSocket-Version: 13\r\n", 400)]
    public async Task A_bad_websocket_handshake_is_refused(string headers, int status)
    {
        await using var server = await StartAsync();
        await using var connection = await LoopbackConnection.OpenAsync(server.Addresses[0]);
        await connection.SendAsync($"GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{headers}\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(status, response.Status);
        if (status == 426)
            Assert.Equal("13", response.Header("Sec-WebSocket-Version"));
    }

    [Fact]
    public async Task A_taken_port_is_a_clear_start_error()
    {
        await using var first = await StartAsync();
        var error = await Assert.ThrowsAsync<HostStartException>(() =>
            new RawHost().StartAsync(Echo, new ServerOptions { Urls = [first.Addresses[0]] }));
        Assert.Contains(first.Addresses[0].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_while_connections_are_closing_never_throws()
    {
        // A connection that finishes while the server stops must not make StopAsync fail (a race once seen in CI runs).
        for (var round = 0; round < 30; round++)
        {
            var server = await StartAsync();
            var clients = Enumerable.Range(0, 20).Select(async _ =>
            {
                try
                {
                    await using var connection = await LoopbackConnection.OpenAsync(server.Addresses[0]);
                    await connection.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                    await connection.ReadResponseAsync(readToEnd: true);
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
                {
                    // The server may be gone already: only its stop is under test.
                }
            }).ToList();
            await Task.Delay(round % 5);
            await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(20));
            await server.DisposeAsync();
        }
    }
}
