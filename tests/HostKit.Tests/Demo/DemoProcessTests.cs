using System.Diagnostics;
using System.Text.RegularExpressions;
using HostKit.Hosts;
using HostKit.Tests.Support;

namespace HostKit.Tests.Demo;

/// <summary>The Demo as a newcomer runs it: a process, a host flag, port 0, and a clean stop on SIGTERM.</summary>
public partial class DemoProcessTests
{
    /// <summary>The hosts the Demo offers: discovered from the Demo's own deps.json, as its runner does.</summary>
    private static readonly HostRegistry DemoHosts = DiscoverDemoHosts();

    public static TheoryData<string> Hosts => [.. DemoHosts.Hosts.Select(h => h.Name)];

    private static HostRegistry DiscoverDemoHosts()
    {
        using var deps = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.deps.json"));
        return HostKit.Hosting.HostDiscovery.Discover(new Microsoft.Extensions.DependencyModel.DependencyContextJsonReader().Read(deps));
    }

    [Theory, MemberData(nameof(Hosts))]
    public async Task Demo_serves_on_the_chosen_host_and_stops_cleanly_on_sigterm(string host)
    {
        var demo = Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [demo, "--host", host, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var address = await ReadAddressAsync(process).WaitAsync(TimeSpan.FromSeconds(30));
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("Hello, World!", await http.GetStringAsync("/plaintext"));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    [Theory, MemberData(nameof(Hosts))]
    public async Task With_unsafe_inline_io_the_Demo_still_serves_http_bodies_and_websockets_and_warns(string host)
    {
        var demo = Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [demo, "--host", host, "--urls", "http://127.0.0.1:0", "--set", "HostKit:UnsafeInlineIo=true"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var output = new List<string>();
            var address = await ReadAddressAsync(process, output).WaitAsync(TimeSpan.FromSeconds(30));
            // The logger writes from its own queue, so the warning may come just after the serving line.
            while (!output.Exists(line => line.Contains("HostKit:UnsafeInlineIo is on", StringComparison.Ordinal)))
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
                Assert.NotNull(line);
                output.Add(line);
            }
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("Hello, World!", await http.GetStringAsync("/plaintext"));
            foreach (var size in new[] { 4096, 200_000 }) // streamed back, and read whole first
            {
                var body = new byte[size];
                new Random(size).NextBytes(body);
                using var echoed = await http.PostAsync("/echo", new ByteArrayContent(body));
                Assert.Equal(body, await echoed.Content.ReadAsByteArrayAsync());
            }
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{address.Authority}/ws/echo"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            var received = new byte[64];
            for (var i = 0; i < 50; i++)
            {
                var message = System.Text.Encoding.UTF8.GetBytes($"message {i}");
                await socket.SendAsync(message, System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
                var result = await socket.ReceiveAsync(received, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal(message, received.AsSpan(0, result.Count).ToArray());
            }
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    [Theory, MemberData(nameof(Hosts))]
    public async Task A_second_sigterm_cuts_a_long_graceful_stop_short(string host)
    {
        var demo = Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll");
        // A websocket whose client never answers the close would hold the graceful stop for ten minutes.
        using var process = Process.Start(new ProcessStartInfo("dotnet", [demo, "--host", host, "--urls", "http://127.0.0.1:0",
            "--set", "HostKit:WebSockets:CloseTimeout=00:10:00", "--set", "HostKit:ShutdownTimeout=00:10:00"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var address = await ReadAddressAsync(process).WaitAsync(TimeSpan.FromSeconds(30));
            await using var silent = await RawWebSocketClient.ConnectAsync(address, "/ws/echo");
            Signal(process);
            // The first signal started the graceful stop (its log line says so); the second cuts it short.
            while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && !line.Contains("signal again", StringComparison.Ordinal))
            {
            }
            Signal(process);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(HostKit.Hosting.HostRunner.Interrupted, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    private static void Signal(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    [Fact]
    public async Task An_unknown_host_exits_with_2_and_lists_the_known_hosts()
    {
        var demo = Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [demo, "--host", "fleck"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, process.ExitCode);
        var known = string.Join(", ", DemoHosts.Hosts.Select(h => h.Name));
        Assert.Contains($"Unknown host 'fleck'. Known hosts: {known}.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_names_the_emit_command_as_well_as_the_options()
    {
        var (code, output) = await DemoProcess.RunToEndAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("Also: 'emit --backplane redis://HOST:PORT --room ROOM --text TEXT' posts one chat message through Redis and exits (emit --help).", output, StringComparison.Ordinal);
        Assert.Contains("--backplane", output, StringComparison.Ordinal);
    }

    private static async Task<Uri> ReadAddressAsync(Process process, List<string>? lines = null)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            lines?.Add(line);
            if (ServingLine().Match(line) is { Success: true } match)
                return new Uri(match.Groups[1].Value);
        }
        throw new Xunit.Sdk.XunitException("The Demo exited without saying where it serves: " + await process.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"^HostKit: serving on \S+ .* at (http://\S+)")]
    private static partial Regex ServingLine();
}
