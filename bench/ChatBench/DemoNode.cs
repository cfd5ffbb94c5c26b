using System.Diagnostics;
using System.Globalization;

namespace HostKit.ChatBench;

/// <summary>A Demo node as a process (the HostKit.Demo.dll built next to this benchmark), on a free port, with a backplane.</summary>
internal sealed class DemoNode : IAsyncDisposable
{
    private DemoNode(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public Process Process { get; }

    public Uri Address { get; }

    public static async Task<DemoNode> StartAsync(string host, string backplane)
    {
        var port = BenchRedis.FreePort();
        var demo = Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll");
        var process = Process.Start(new ProcessStartInfo("dotnet",
            [demo, "--host", host, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--backplane", backplane,
             "--log-level", "Warning", "--set", "HostKit:Chat:MaxMessagesPerSecond=0"])
        { RedirectStandardOutput = true })!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("HostKit: serving on ", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new DemoNode(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
            }
        }
        throw new InvalidOperationException($"The {host} node exited at start.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        Process.Dispose();
    }
}
