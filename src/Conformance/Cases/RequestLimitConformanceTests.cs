using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// <see cref="HttpLimits"/> on every host that declares <see cref="HostCapabilities.RequestLimits"/>: the client
/// over a limit gets its answer and the connection closes; the host keeps serving. Also what every socket host
/// does with the request shapes around the limits (100-continue, trailers, a taken port, a stop under load).
/// </summary>
public abstract class RequestLimitConformanceTests
{
    private static readonly HttpLimits Small = new() { MaxRequestLineBytes = 256, MaxRequestHeadersBytes = 512, MaxRequestHeaderCount = 4, MaxRequestBodyBytes = 1000 };

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network);

    public static TheoryData<string> LimitHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.RequestLimits);

    public static TheoryData<string> TimeoutHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.RequestTimeouts);

    public static TheoryData<string> ConnectionLimitHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.ConnectionLimit);

    public static TheoryData<string, string, int> OverTheLimits()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var host in LimitHosts)
        {
            data.Add(host, "GET /{0} HTTP/1.1\r\nHost: {1}\r\n\r\n", 414);
            data.Add(host, "GET /plaintext HTTP/1.1\r\nHost: {1}\r\nX-Big: {0}\r\n\r\n", 431);
            data.Add(host, "GET /plaintext HTTP/1.1\r\nHost: {1}\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 431);
            data.Add(host, "POST /echo HTTP/1.1\r\nHost: {1}\r\nContent-Length: 2000\r\n\r\n", 413);
            data.Add(host, "POST /echo HTTP/1.1\r\nHost: {1}\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n{0}\r\n0\r\n\r\n", 413);
        }
        return data;
    }

    [HostTheory, MemberData(nameof(OverTheLimits))]
    public async Task A_request_over_a_limit_gets_its_status_the_connection_closes_and_others_are_served(string host, string template, int status)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { Limits = Small });
        await using (var connection = await server.OpenConnectionAsync())
        {
            await connection.SendAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('x', 2048), server.Address.Authority));
            var response = await connection.ReadResponseAsync();
            Assert.Equal(status, response.Status);
            Assert.True(await connection.IsClosedByServerAsync());
        }
        Assert.Equal("Hello, World!", await server.Http.GetStringAsync("/plaintext"));
    }

    [HostTheory, MemberData(nameof(TimeoutHosts))]
    public async Task A_client_too_slow_with_its_headers_gets_408_and_is_cut_off(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { Limits = HttpLimits.Default with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) } });
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"GET / HTTP/1.1\r\nHost: {server.Address.Authority}\r\nX-Slow: ");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(408, response.Status);
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [HostTheory, MemberData(nameof(TimeoutHosts))]
    public async Task An_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { Limits = HttpLimits.Default with { KeepAliveTimeout = TimeSpan.FromSeconds(1) } });
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [HostTheory, MemberData(nameof(TimeoutHosts))]
    public async Task A_keep_alive_connection_in_use_outlives_its_keep_alive_timeout(string host)
    {
        // The timeout counts from the end of the last request, not from the connection's first.
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { Limits = HttpLimits.Default with { KeepAliveTimeout = TimeSpan.FromSeconds(1) } });
        await using var connection = await server.OpenConnectionAsync();
        for (var i = 0; i < 6; i++)
        {
            await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
            await Task.Delay(TimeSpan.FromMilliseconds(400));
        }
    }

    [HostTheory, MemberData(nameof(TimeoutHosts))]
    public async Task A_head_sent_slowly_within_the_headers_timeout_is_served(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { Limits = HttpLimits.Default with { RequestHeadersTimeout = TimeSpan.FromSeconds(3) } });
        await using var connection = await server.OpenConnectionAsync();
        foreach (var piece in new[] { "GET /plaintext HTTP/1.1\r\n", $"Host: {server.Address.Authority}\r\n", "X-Slow: yes\r\n", "\r\n" })
        {
            await connection.SendAsync(piece);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
    }

    [HostTheory, MemberData(nameof(ConnectionLimitHosts))]
    public async Task A_connection_over_the_limit_is_refused_and_the_others_are_served(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { Limits = HttpLimits.Default with { MaxConcurrentConnections = 2 } });
        await using var first = await server.OpenConnectionAsync();
        await using var second = await server.OpenConnectionAsync();
        foreach (var connection in new[] { first, second })
        {
            // Served, so both are surely counted before the third arrives.
            await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
        }
        await using (var third = await server.OpenConnectionAsync())
        {
            // A 503 and close, or the engine's own refusal (closed without an answer): never served, never a hang.
            await third.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            try
            {
                Assert.Equal(503, (await third.ReadResponseAsync()).Status);
            }
            catch (IOException)
            {
            }
            Assert.True(await third.IsClosedByServerAsync());
        }
        await first.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        Assert.Equal("Hello, World!", (await first.ReadResponseAsync()).Text);
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Expect_100_continue_is_answered_when_the_app_reads_the_body(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal(100, (await connection.ReadResponseAsync()).Status);
        await connection.SendAsync("hello");
        var response = await connection.ReadResponseAsync();
        Assert.Equal((200, "hello"), (response.Status, response.Text));
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_chunked_upload_with_extensions_and_trailers_is_dechunked(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal((200, "abcde"), (response.Status, response.Text));
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_taken_port_is_a_clear_start_error(string host)
    {
        await using var first = await ServerUnderTest.StartAsync(host);
        var error = await Assert.ThrowsAsync<HostStartException>(() => ServerUnderTest.StartAsync(host, o => o with { Urls = [first.Address] }));
        Assert.Contains(first.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Stopping_while_connections_are_closing_never_throws(string host)
    {
        // A connection that finishes while the server stops must not make StopAsync fail (a race once seen in CI runs).
        for (var round = 0; round < 10; round++)
        {
            var server = await ServerUnderTest.StartAsync(host);
            var clients = Enumerable.Range(0, 20).Select(async _ =>
            {
                try
                {
                    await using var connection = await server.OpenConnectionAsync();
                    await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\nConnection: close\r\n\r\n");
                    // Read to the close, unparsed: only the stop is under test, and httplistener's engine, once its
                    // listener is closing, may answer with its own 404 page instead of the application's response.
                    await connection.ReadUntilClosedAsync();
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException)
                {
                    // The server may be gone already: only its stop is under test.
                }
            }).ToList();
            await Task.Delay(round % 5);
            await server.Server.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(40));
            await server.DisposeAsync();
        }
    }
}
