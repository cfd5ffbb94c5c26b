using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HostKit.Tests.Demo;

/// <summary>The Demo as a newcomer runs it: a process, a host flag, port 0, and a clean stop on SIGTERM.</summary>
public partial class DemoProcessTests
{
    // The Demo references the same host packages as this test project, so it offers the hosts discovery finds here.
    public static TheoryData<string> Hosts => [.. HostKit.Hosting.HostDiscovery.Registry.Hosts.Select(h => h.Name)];

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
            await using var silent = await HostKit.Tests.Support.RawWebSocketClient.ConnectAsync(address, "/ws/echo");
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
        var known = string.Join(", ", HostKit.Hosting.HostDiscovery.Registry.Hosts.Select(h => h.Name));
        Assert.Contains($"Unknown host 'fleck'. Known hosts: {known}.", error, StringComparison.Ordinal);
    }

    private static async Task<Uri> ReadAddressAsync(Process process)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (ServingLine().Match(line) is { Success: true } match)
                return new Uri(match.Groups[1].Value);
        }
        throw new Xunit.Sdk.XunitException("The Demo exited without saying where it serves: " + await process.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"^HostKit: serving on \S+ .* at (http://\S+)")]
    private static partial Regex ServingLine();
}
