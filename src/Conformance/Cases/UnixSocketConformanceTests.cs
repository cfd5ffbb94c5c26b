using System.Net.Sockets;
using System.Net.WebSockets;
using HostKit.Conformance.Support;

namespace HostKit.Conformance.Cases;

/// <summary>
/// What a host that declares <see cref="HostCapabilities.UnixSockets"/> does on a <c>unix:PATH</c> address, the same on each:
/// it serves HTTP and websockets there (next to an <c>http://</c> address), shows the application a unix peer as
/// <see cref="UnixSocketPeer"/> says, and treats the socket file as gunicorn and uvicorn do (<see cref="UnixSocketFile"/>): a stale
/// file is replaced, a live one is refused and left alone, a bad path gets a clear error, and the file goes at a graceful stop.
/// </summary>
public abstract class UnixSocketConformanceTests
{
    public static TheoryData<string> UnixSocketHosts => ConformanceHosts.Supporting(HostCapabilities.UnixSockets | HostCapabilities.Network);

    private static Task<ServerUnderTest> StartOnAsync(string host, string path, Func<ServerOptions, ServerOptions>? configure = null) =>
        ServerUnderTest.StartAsync(host, options =>
        {
            options = options with { Urls = [ListenAddress.UnixSocket(path), new Uri("http://127.0.0.1:0")] };
            return configure?.Invoke(options) ?? options;
        });

    private static async Task<Dictionary<string, string?>> EnvironAsync(HttpClient client, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/environ");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        return ResponsePlanConformanceTests.ReadEnviron(await response.Content.ReadAsStringAsync());
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task A_unix_socket_serves_get_and_post_next_to_a_tcp_address(string host)
    {
        var path = UnixSocketClient.NewPath();
        await using var server = await StartOnAsync(host, path);
        Assert.Contains(ListenAddress.UnixSocket(path), server.Server.Addresses);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixSocketFile.Mode, File.GetUnixFileMode(path));
        using var client = UnixSocketClient.Http(path);

        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        var body = new byte[100_000];
        Random.Shared.NextBytes(body);
        using var echoed = await client.PostAsync("/echo", new ByteArrayContent(body));
        Assert.Equal(body, await echoed.Content.ReadAsByteArrayAsync());
        var tcp = server.Server.Addresses.Single(a => !ListenAddress.IsUnixSocket(a));
        using var tcpClient = new HttpClient { BaseAddress = tcp };
        Assert.Equal("Hello, World!", await tcpClient.GetStringAsync("/plaintext"));
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task The_application_sees_a_unix_peer_as_gunicorn_shows_it(string host)
    {
        var path = UnixSocketClient.NewPath();
        await using var server = await StartOnAsync(host, path);
        using var client = UnixSocketClient.Http(path);

        var environ = await EnvironAsync(client);
        Assert.Equal((UnixSocketPeer.RemoteAddress, "0", "http", "localhost", "80"),
            (environ["REMOTE_ADDR"], environ["REMOTE_PORT"], environ["wsgi.url_scheme"], environ["SERVER_NAME"], environ["SERVER_PORT"]));
        var addressed = await EnvironAsync(client, ("Host", "app.example:8080"));
        Assert.Equal(("app.example", "8080"), (addressed["SERVER_NAME"], addressed["SERVER_PORT"]));
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task Proxy_headers_from_a_unix_peer_are_believed_only_when_unix_is_trusted(string host)
    {
        (string Name, string Value)[] proxied = [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")];
        var path = UnixSocketClient.NewPath();
        await using (var byDefault = await StartOnAsync(host, path))
        {
            using var client = UnixSocketClient.Http(path);
            var environ = await EnvironAsync(client, proxied);
            Assert.Equal((UnixSocketPeer.RemoteAddress, "http"), (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]));
        }
        await using (var trusting = await StartOnAsync(host, path, o => o with { ForwardedAllowIps = TrustedProxies.Parse("127.0.0.1, unix") }))
        {
            using var client = UnixSocketClient.Http(path);
            var environ = await EnvironAsync(client, proxied);
            Assert.Equal(("203.0.113.7", "https"), (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]));
        }
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task A_websocket_echo_works_over_the_unix_socket(string host)
    {
        var path = UnixSocketClient.NewPath();
        await using var server = await StartOnAsync(host, path);
        using var socket = await UnixSocketClient.ConnectWebSocketAsync(path, "/ws/echo");

        await socket.EchoesTextAndLargeBinaryThenClosesAsync("hello over a unix socket");
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task A_stale_socket_file_left_by_a_killed_process_is_replaced(string host)
    {
        var path = UnixSocketClient.NewPath();
        LeaveStaleSocket(path);
        try
        {
            await using var server = await StartOnAsync(host, path);
            using var client = UnixSocketClient.Http(path);
            Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task A_socket_where_another_server_listens_is_refused_and_left_alone(string host)
    {
        var path = UnixSocketClient.NewPath();
        using var other = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        other.Bind(new UnixDomainSocketEndPoint(path));
        other.Listen();
        try
        {
            var refused = await Assert.ThrowsAsync<HostStartException>(() => StartOnAsync(host, path));
            Assert.Contains("another server is listening", refused.Message, StringComparison.Ordinal);
            Assert.Contains(path, refused.Message, StringComparison.Ordinal);

            // Still the other server's: a client reaches it, not a file the failed start replaced.
            using var client = await UnixSocketClient.ConnectAsync(path);
            using var accepted = await other.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(accepted.Connected);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task A_file_that_is_no_socket_is_refused_and_left_alone(string host)
    {
        var path = UnixSocketClient.NewPath();
        await File.WriteAllTextAsync(path, "not a socket");
        try
        {
            var refused = await Assert.ThrowsAsync<HostStartException>(() => StartOnAsync(host, path));
            Assert.Contains("not a socket", refused.Message, StringComparison.Ordinal);
            Assert.Equal("not a socket", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task A_path_too_long_or_in_a_missing_directory_gets_a_clear_error(string host)
    {
        var tooLong = "/tmp/" + new string('s', UnixSocketFile.MaxPathBytes) + ".sock";
        var error = await Assert.ThrowsAsync<HostStartException>(() => StartOnAsync(host, tooLong));
        Assert.Contains($"{UnixSocketFile.MaxPathBytes} at most", error.Message, StringComparison.Ordinal);

        var missing = $"/tmp/hk-missing-{Guid.NewGuid().ToString("N")[..8]}/app.sock";
        error = await Assert.ThrowsAsync<HostStartException>(() => StartOnAsync(host, missing));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [HostTheory, MemberData(nameof(UnixSocketHosts))]
    public async Task The_socket_file_is_removed_at_a_graceful_stop(string host)
    {
        var path = UnixSocketClient.NewPath();
        var server = await StartOnAsync(host, path);
        try
        {
            using var client = UnixSocketClient.Http(path);
            Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
            Assert.True(File.Exists(path));
            await server.Server.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(File.Exists(path), $"{path} is still there after the stop");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// A socket file nobody listens on, as a process killed with SIGKILL leaves it: bound under another name, then moved to
    /// <paramref name="path"/> and closed (a socket removes the file it bound when closed, and this one no longer finds it).
    /// </summary>
    private static void LeaveStaleSocket(string path)
    {
        var bound = path + ".bind";
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            File.Move(bound, path);
        }
        Assert.True(File.Exists(path), "the stale socket file was not left behind");
    }
}
