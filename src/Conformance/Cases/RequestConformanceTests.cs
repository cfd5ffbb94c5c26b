using System.Text;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// What every host makes of the request the same way: target forms, <c>Host</c>, stray line ends,
/// pipelining order under a slow request, the peer's address, and a client that leaves.
/// </summary>
public abstract class RequestConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network);

    public static TheoryData<string> StrictHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.StrictRequestParsing);

    public static TheoryData<string> PipeliningHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.HttpPipelining);

    public static TheoryData<string> DisconnectHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.SignalsClientDisconnect);

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task An_absolute_form_target_is_served_as_its_path_and_query(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var authority = server.Address.Authority;
        foreach (var (target, path, query) in new[] { ($"http://{authority}/environ?x=1", "/environ", "x=1"), ($"http://{authority}?y=2", "/", "y=2") })
        {
            await using var connection = await server.OpenConnectionAsync();
            await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: {authority}\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            var environ = ResponsePlanConformanceTests.ReadEnviron(response.Text);
            Assert.Equal((path, query, server.Address.Host), (environ["PATH_INFO"], environ["QUERY_STRING"], environ["SERVER_NAME"]));
        }
    }

    [HostTheory, MemberData(nameof(StrictHosts))]
    public async Task A_malformed_host_header_is_a_400(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        foreach (var value in new[] { "a b", "a/b", "user@a", "a:80x", "a, b" })
        {
            await using var connection = await server.OpenConnectionAsync();
            await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {value}\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            Assert.True(response.Status == 400, $"Host: {value} got {response.Status}");
        }
    }

    [HostTheory, MemberData(nameof(PipeliningHosts))]
    public async Task An_empty_line_before_a_pipelined_request_is_ignored(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        var request = $"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n";
        await connection.SendAsync(request + "\r\n" + request);
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
    }

    [HostTheory, MemberData(nameof(PipeliningHosts))]
    public async Task A_slow_pipelined_request_does_not_hold_back_the_answer_before_it(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        var authority = server.Address.Authority;
        await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {authority}\r\n\r\nGET /slow HTTP/1.1\r\nHost: {authority}\r\n\r\n");
        // /slow answers only once released, which this test does only after it has the first answer:
        // a host that holds the first answer back until the second is ready never answers at all.
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
        server.App.SlowGate.SetResult();
        Assert.Equal("slow", (await connection.ReadResponseAsync()).Text);
    }

    [HostTheory, MemberData(nameof(PipeliningHosts))]
    public async Task Pipelined_requests_with_bodies_are_answered_in_order(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        var authority = server.Address.Authority;
        var large = new string('x', 4096);
        string Post(string path, string body) =>
            $"POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        // One write: bodies between heads, a buffered echo and a streamed one, answers batched or not as the host likes.
        await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {authority}\r\n\r\n" + Post("/echo", "first") + Post("/echo-streamed", large)
            + $"GET /environ?i=3 HTTP/1.1\r\nHost: {authority}\r\n\r\n" + Post("/echo", "last"));
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
        Assert.Equal("first", (await connection.ReadResponseAsync()).Text);
        Assert.Equal(large, (await connection.ReadResponseAsync()).Text);
        Assert.Contains("\"QUERY_STRING\":\"i=3\"", (await connection.ReadResponseAsync()).Text, StringComparison.Ordinal);
        Assert.Equal("last", (await connection.ReadResponseAsync()).Text);
    }

    [HostTheory, MemberData(nameof(PipeliningHosts))]
    public async Task An_answer_goes_out_while_the_next_pipelined_request_is_still_arriving(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        var authority = server.Address.Authority;
        // The second head is cut in two, and its rest is sent only once the first answer is in: a host that holds an
        // answer back until the next request is whole (to send pipelined answers together) never answers at all.
        await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {authority}\r\n\r\nGET /environ?i=2 HTTP/1.1\r\nHo");
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
        await connection.SendAsync($"st: {authority}\r\n\r\n");
        Assert.Contains("\"QUERY_STRING\":\"i=2\"", (await connection.ReadResponseAsync()).Text, StringComparison.Ordinal);
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Remote_addr_is_ipv4_on_a_dual_mode_listener(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { Urls = [new Uri("http://[::]:0")] });
        await using var connection = await LoopbackConnection.OpenAsync(new UriBuilder(server.Address) { Host = "127.0.0.1" }.Uri);
        await connection.SendAsync($"GET /environ HTTP/1.1\r\nHost: 127.0.0.1:{server.Address.Port}\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal("127.0.0.1", ResponsePlanConformanceTests.ReadEnviron(response.Text)["REMOTE_ADDR"]);
    }

    [HostTheory, MemberData(nameof(DisconnectHosts))]
    public async Task A_client_that_disconnects_mid_request_fires_request_aborted(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using (var connection = await server.OpenConnectionAsync())
            await connection.SendAsync($"GET /wait-for-abort?who=leaver HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        Assert.Equal("who=leaver", await server.App.AbortsSeen.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Http10_keep_alive_is_kept_when_the_length_is_known(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var first = await connection.ReadResponseAsync();
        Assert.Equal(("Hello, World!", "keep-alive"), (first.Text, first.Header("Connection")?.ToLowerInvariant()));
        await connection.SendAsync("GET /plaintext HTTP/1.0\r\n\r\n");
        Assert.Equal("Hello, World!", Encoding.ASCII.GetString((await connection.ReadResponseAsync(readToEnd: true)).Body));
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Raw_utf8_bytes_in_the_target_are_a_400_not_decoded(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        // "café" unencoded: HttpListener used to read it as Latin-1 (cafÃ©) where Kestrel and raw refused it.
        await connection.SendAsync([.. Encoding.ASCII.GetBytes("GET /environ?name=caf"), 0xC3, 0xA9, .. Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n")]);
        Assert.Equal(400, (await connection.ReadResponseAsync()).Status);
        // Percent-encoded, the same name is served, and left encoded for the application to decode.
        await using var encoded = await server.OpenConnectionAsync();
        await encoded.SendAsync($"GET /environ?name=caf%C3%A9 HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        var response = await encoded.ReadResponseAsync();
        Assert.Equal((200, "name=caf%C3%A9"), (response.Status, ResponsePlanConformanceTests.ReadEnviron(response.Text)["QUERY_STRING"]));
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_post_without_a_body_or_length_is_answered_without_a_stack_in_the_log(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using (var connection = await server.OpenConnectionAsync())
        {
            await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            // RFC 9112 section 6.3: no length and no chunked means an empty body, which the route echoes. HttpListener
            // insists on a length and answers 411 itself before the adapter sees the request: the adapter counts it.
            if (host == "httplistener")
            {
                Assert.Equal(411, response.Status);
                await server.Log.WaitForAsync(e => e.EventId.Id == 7 && e.Message.Contains("LengthRequired", StringComparison.Ordinal));
            }
            else
            {
                Assert.Equal((200, 0), (response.Status, response.Body.Length));
            }
        }
        Assert.Equal("Hello, World!", await server.Http.GetStringAsync("/plaintext"));
        Assert.DoesNotContain(server.Log.Entries, e => e.Exception is not null && e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_body_the_client_cuts_short_is_refused_not_an_application_error(string host)
    {
        // Read by the application (/echo), or by the host as the response body (/echo-streamed); the client half-closes, or closes outright.
        foreach (var (route, halfClose) in new[] { ("/echo", true), ("/echo", false), ("/echo-streamed", true), ("/echo-streamed", false) })
        {
            await using var server = await ServerUnderTest.StartAsync(host);
            await using (var connection = await server.OpenConnectionAsync())
            {
                // Content-Length promises more than comes, then the client stops.
                await connection.SendAsync($"POST {route} HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Length: 100000\r\n\r\nhello");
                if (halfClose)
                {
                    connection.ShutdownSend();
                    Assert.True(await connection.IsClosedByServerAsync(), $"{route}: the connection stayed open after its body was cut short");
                }
            }
            // The body ended early (RequestRejection.IncompleteBody): a refusal, counted as one; or, sending, a client that left.
            await server.Log.WaitForAsync(e => e.EventId.Id == 9 || (e.EventId.Id == 7 && e.Message.Contains(nameof(RequestRejection.IncompleteBody), StringComparison.Ordinal)));
            Assert.Equal("Hello, World!", await server.Http.GetStringAsync("/plaintext"));
            // Not the application's failure (no 500, no "failed after the response started"), and no exception from the host.
            Assert.False(server.Log.Entries.Any(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning),
                $"{route}, {(halfClose ? "half-closed" : "closed")}: " + string.Join(" | ", server.Log.Entries.Select(e => e.Message)));
        }
    }
}
