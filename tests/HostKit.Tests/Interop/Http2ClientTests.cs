using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using HostKit.Conformance.Support;
using HostKit.Hosts;
using HostKit.Tests.Conformance;
using HostKit.Tests.Support;

namespace HostKit.Tests.Interop;

/// <summary>
/// HTTP/2 as outsiders speak it to the Demo run as a person runs it (<c>--http2</c>, a child process): curl by prior
/// knowledge, nghttp2's <c>h2load</c> over h2c and over TLS (ALPN <c>h2</c>), and .NET's ClientWebSocket over HTTP/2 to the
/// Demo's echo route, on every host that declares HTTP/2.
/// </summary>
public sealed partial class Http2ClientTests : IDisposable
{
    private const string Curl = "/usr/bin/curl";
    private const string H2load = "/usr/bin/h2load";

    private readonly string _directory = Directory.CreateTempSubdirectory("hostkit-h2-").FullName;

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.Network);

    public static TheoryData<string> WebSocketHosts => ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.WebSockets | HostCapabilities.Network);

    public static TheoryData<string> TlsHosts => ConformanceHosts.Supporting(HostCapabilities.Http2 | HostCapabilities.Tls | HostCapabilities.Network);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Curl_by_prior_knowledge_gets_the_demo_routes_over_HTTP_2(string host)
    {
        RequiredComponent.File(Curl, "curl");
        await using var demo = await DemoProcess.StartAsync(host, 0, "--http2");
        var address = demo.Address.ToString().TrimEnd('/');

        Assert.Equal("Hello, World!\n2", await RunAsync(Curl, "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version}", $"{address}/plaintext"));
        Assert.Equal("{\"message\":\"Hello, World!\"}\n2", await RunAsync(Curl, "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version}", $"{address}/json"));
        Assert.Equal("posted over h2c\n2", await RunAsync(Curl, "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version}", "--data-binary", "posted over h2c", $"{address}/echo"));
        // The same address still serves HTTP/1.1 to a client that does not know.
        Assert.Equal("Hello, World!\n1.1", await RunAsync(Curl, "-sS", "--http1.1", "-w", "\n%{http_version}", $"{address}/plaintext"));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task H2load_gets_every_request_answered_over_h2c(string host)
    {
        RequiredComponent.File(H2load, "nghttp2-client");
        await using var demo = await DemoProcess.StartAsync(host, 0, "--http2");
        var output = await RunAsync(H2load, "-n", "400", "-c", "4", "-m", "10", $"{demo.Address}plaintext");
        AssertAllAnswered(output, "h2c", 400);
    }

    [HostTheory, MemberData(nameof(TlsHosts))]
    public async Task H2load_negotiates_h2_by_alpn_over_tls(string host)
    {
        RequiredComponent.File(H2load, "nghttp2-client");
        var (certFile, keyFile) = ThrowawayCertificateAuthority.WritePem(_directory);
        await using var demo = await DemoProcess.StartAtAsync(host, "https://127.0.0.1:0", "--http2", "--certfile", certFile, "--keyfile", keyFile);
        var output = await RunAsync(H2load, "-n", "200", "-c", "2", "-m", "10", $"{demo.Address}plaintext");
        AssertAllAnswered(output, "h2", 200);
    }

    [HostTheory, MemberData(nameof(WebSocketHosts))]
    public async Task A_websocket_over_HTTP_2_echoes_through_the_demo(string host)
    {
        await using var demo = await DemoProcess.StartAsync(host, 0, "--http2");
        using var socket = await Http2Clients.ConnectWebSocketAsync(demo.Address, "/ws/echo");
        await socket.SendTextAsync("over one HTTP/2 stream");
        Assert.Equal("over one HTTP/2 stream", await socket.ReceiveTextAsync());
        await socket.SendAsync(new byte[] { 0, 1, 2, 255 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var (type, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, data);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    private static void AssertAllAnswered(string output, string protocol, int requests)
    {
        Assert.Contains($"Application protocol: {protocol}\n", output, StringComparison.Ordinal);
        var done = Requests().Match(output);
        Assert.True(done.Success, $"h2load printed no request count:\n{output}");
        Assert.Equal(requests, int.Parse(done.Groups["succeeded"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"status codes: {requests} 2xx, 0 3xx, 0 4xx, 0 5xx", output, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="program"/> to its end; its standard output, once it exited with 0.</summary>
    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded")]
    private static partial Regex Requests();
}
