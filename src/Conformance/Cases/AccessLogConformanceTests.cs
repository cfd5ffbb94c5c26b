using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>The access log: one line per request and per websocket session, the same shape on every host.</summary>
public abstract partial class AccessLogConformanceTests
{
    public static TheoryData<string> HttpHosts => ConformanceHosts.Supporting(HostCapabilities.Http);

    public static TheoryData<string> WebSocketHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.WebSockets);

    [GeneratedRegex("""^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET /plaintext\?x=1 HTTP/1\.1" 200 13 "http://ref\.example/" "conformance \\x22agent\\x22" \d+\.\d{6}$""")]
    private static partial Regex PlaintextLine();

    [GeneratedRegex("""^127\.0\.0\.1 - - \[[^\]]+\] "GET /ws/echo HTTP/1\.1" 101 - "-" "-" \d+\.\d{6}$""")]
    private static partial Regex WebSocketLine();

    private static async Task GetPlaintextAsync(ServerUnderTest server, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plaintext?x=1");
        request.Headers.TryAddWithoutValidation("User-Agent", "conformance \"agent\"");
        request.Headers.TryAddWithoutValidation("Referer", "http://ref.example/");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
    }

    private static Task<LogEntry> AccessLineAsync(ServerUnderTest server, string contains) =>
        server.Log.WaitForAsync(e => e.Category == AccessLog.Category && e.Message.Contains(contains, StringComparison.Ordinal), TimeSpan.FromSeconds(20));

    [HostTheory, MemberData(nameof(HttpHosts))]
    public async Task A_request_gets_one_combined_log_format_line_with_its_duration(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { AccessLog = AccessLogFormat.Combined });
        await GetPlaintextAsync(server);
        var line = await AccessLineAsync(server, "/plaintext");
        Assert.Matches(PlaintextLine(), line.Message);
        Assert.Single(server.Log.Entries, e => e.Category == AccessLog.Category);
    }

    [HostTheory, MemberData(nameof(HttpHosts))]
    public async Task The_line_names_the_client_a_trusted_proxy_forwarded(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { AccessLog = AccessLogFormat.Combined });
        await GetPlaintextAsync(server, ("X-Forwarded-For", "203.0.113.7"));
        Assert.StartsWith("203.0.113.7 - - [", (await AccessLineAsync(server, "/plaintext")).Message);
    }

    [HostTheory, MemberData(nameof(WebSocketHosts))]
    public async Task A_websocket_session_gets_one_line_when_it_ends(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { AccessLog = AccessLogFormat.Combined });
        using (var socket = await server.ConnectWebSocketAsync("/ws/echo"))
        {
            await socket.SendAsync("hi"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[16];
            await socket.ReceiveAsync(buffer, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        var line = await AccessLineAsync(server, "/ws/echo");
        Assert.Matches(WebSocketLine(), line.Message);
    }

    [HostTheory, MemberData(nameof(HttpHosts))]
    public async Task A_json_line_has_the_same_fields_on_every_host(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { AccessLog = AccessLogFormat.Json });
        await GetPlaintextAsync(server);
        using var line = JsonDocument.Parse((await AccessLineAsync(server, "/plaintext")).Message);
        var root = line.RootElement;
        Assert.Equal(["time", "remote_addr", "method", "target", "protocol", "status", "bytes", "referer", "user_agent", "duration_s", "websocket"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("127.0.0.1", "/plaintext?x=1", 200, 13, "conformance \"agent\""), (root.GetProperty("remote_addr").GetString(),
            root.GetProperty("target").GetString(), root.GetProperty("status").GetInt32(), root.GetProperty("bytes").GetInt32(), root.GetProperty("user_agent").GetString()));
    }

    [HostTheory, MemberData(nameof(HttpHosts))]
    public async Task No_line_is_written_when_the_access_log_is_off(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await GetPlaintextAsync(server);
        // A refused request after it: once its rejection is logged, the plaintext request is long done.
        using var response = await server.Http.GetAsync("/throw");
        await server.Log.WaitForAsync(e => e.Message.Contains("Application failed on GET /throw", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Log.Entries, e => e.Category == AccessLog.Category);
    }
}
