using System.Net;
using System.Text;
using System.Text.Json;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// The response plan carried out the same way on the wire by every host: bodies a status may not
/// carry, HEAD, declared lengths held to, the application's framing headers, and the host's own
/// answers (500, a bad request body). Each case pins a rule of <see cref="ResponsePlan"/> or of the
/// host kit's fault rules on every host that declares what it needs.
/// </summary>
public abstract class ResponsePlanConformanceTests
{
    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network);

    public static TheoryData<string> StrictHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.StrictRequestParsing);

    public static TheoryData<string> AbortingHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.Network | HostCapabilities.AbortsFailedResponses);

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_204_or_304_sends_no_body_and_the_next_response_on_the_connection_is_intact(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        foreach (var (path, status) in new[] { ("/no-content-with-body", 204), ("/not-modified-with-body", 304) })
        {
            await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            Assert.Equal(status, response.Status);
            Assert.Null(response.Header("Transfer-Encoding"));
            // RFC 9110 8.6: no Content-Length on a 204 (HttpListener adds "0" itself: harmless, documented).
            if (status == 204)
                Assert.True(response.Header("Content-Length") is null or "0", $"Content-Length: {response.Header("Content-Length")}");
            // Had the host sent the body anyway, this response would be read from its bytes.
            await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            var next = await connection.ReadResponseAsync();
            Assert.Equal((200, "Hello, World!"), (next.Status, next.Text));
        }
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Head_with_a_stream_body_sends_the_get_length_and_no_body(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"HEAD /stream-exact HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        var head = await connection.ReadResponseAsync(headRequest: true);
        Assert.Equal((200, "13"), (head.Status, head.Header("Content-Length")));
        await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync()).Text);
    }

    [HostTheory, MemberData(nameof(AbortingHosts))]
    public async Task A_stream_body_shorter_or_longer_than_declared_aborts_the_connection_and_is_logged(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        foreach (var path in new[] { "/stream-short", "/stream-long", "/chunks-declared-short" })
        {
            await using var connection = await server.OpenConnectionAsync();
            await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            // Content-Length: 10 is promised; the client must never get a response it could take for whole.
            await Assert.ThrowsAnyAsync<IOException>(() => connection.ReadResponseAsync());
        }
        Assert.Equal(3, await CountLengthFailuresAsync(server, 3));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_body_that_breaks_its_declared_length_is_logged_on_every_host(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        foreach (var path in new[] { "/stream-short", "/stream-long" })
        {
            try
            {
                await server.Http.GetByteArrayAsync(path);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
            }
        }
        Assert.Equal(2, await CountLengthFailuresAsync(server, 2));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task The_applications_framing_headers_give_way_to_the_body(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        // The app said Content-Length: 999 and Transfer-Encoding: chunked for a five-byte buffer.
        using var response = await server.Http.GetAsync("/framing-headers");
        Assert.Equal(5, response.Content.Headers.ContentLength);
        Assert.Null(response.Headers.TransferEncodingChunked is true ? "chunked" : null);
        Assert.Equal("five!", await response.Content.ReadAsStringAsync());
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Connection_close_from_the_application_closes_after_the_response(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"GET /connection-close HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(("five!", "close"), (response.Text, response.Header("Connection")?.ToLowerInvariant()));
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Connection_keep_alive_from_the_application_cannot_keep_what_http11_keeps_anyway(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        for (var i = 0; i < 2; i++)
        {
            await connection.SendAsync($"GET /connection-keep-alive HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            var response = await connection.ReadResponseAsync();
            Assert.Equal("five!", response.Text);
            Assert.NotEqual("close", response.Header("Connection")?.ToLowerInvariant());
        }
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task No_100_continue_follows_a_response_that_has_started(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        // The app starts its (chunked) response, and only then reads the body the client holds back.
        await connection.SendAsync($"POST /stream-echo-late HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var head = await connection.ReadHeadAsync();
        if (head.Status == 100)
        {
            // Allowed only before the final response, and only once.
            head = await connection.ReadHeadAsync();
        }
        Assert.Equal(200, head.Status);
        Assert.Equal("start\n", Encoding.ASCII.GetString((await connection.ReadChunkAsync())!));
        await connection.SendAsync("hello");
        var rest = new MemoryStream();
        while (await connection.ReadChunkAsync() is { } chunk)
            rest.Write(chunk);
        Assert.Equal("hello", Encoding.ASCII.GetString(rest.ToArray()));
    }

    [HostTheory, MemberData(nameof(StrictHosts))]
    public async Task A_malformed_request_body_gets_the_same_400_on_every_host_and_the_connection_closes(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.Equal(Encoding.UTF8.GetString(RequestRejections.Body(RequestRejection.InvalidChunkedBody).Span), response.Text);
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [HostTheory, MemberData(nameof(StrictHosts))]
    public async Task A_body_error_the_application_catches_is_answered_and_then_the_connection_closes(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        // After a malformed chunk nobody knows where the next request starts: the connection must not be reused.
        await connection.SendAsync($"POST /catch-body HTTP/1.1\r\nHost: {server.Address.Authority}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX\r\n0\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal((200, "caught"), (response.Status, response.Text));
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task An_application_failure_gets_the_same_500_body_on_every_host(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var response = await server.Http.GetAsync("/throw");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetString(HostResponses.InternalErrorBody.Span), await response.Content.ReadAsStringAsync());
        Assert.Equal("Hello, World!", await server.Http.GetStringAsync("/plaintext"));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_synchronous_body_read_works_on_every_host(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var body = new byte[10_000];
        new Random(7).NextBytes(body);
        using var response = await server.Http.PostAsync("/sync-echo", new ByteArrayContent(body));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_client_that_goes_away_mid_response_is_not_an_application_failure(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using (var connection = await server.OpenConnectionAsync())
        {
            await connection.SendAsync($"GET /slow-stream HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
            await connection.ReadHeadAsync();
            await connection.ReadChunkAsync();
        }
        await server.Log.WaitForAsync(e => e.Message.StartsWith("Client went away during the response to GET /slow-stream", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(server.Log.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error && e.Category.StartsWith("HostKit", StringComparison.Ordinal));
    }

    private static async Task<int> CountLengthFailuresAsync(ServerUnderTest server, int expected)
    {
        await server.Log.WaitForAsync(_ => server.Log.Entries.Count(e => e.Exception is ResponseBodyLengthException) >= expected);
        var failures = server.Log.Entries.Where(e => e.Exception is ResponseBodyLengthException).ToList();
        Assert.All(failures, e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, e.Level));
        return failures.Count;
    }

    internal static Dictionary<string, string?> ReadEnviron(string json) => JsonSerializer.Deserialize<Dictionary<string, string?>>(json)!;
}
