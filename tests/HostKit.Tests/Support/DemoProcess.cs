using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HostKit.Tests.Support;

/// <summary>
/// The Demo as a separate process on 127.0.0.1, as a person runs it. Stopped with SIGTERM (by this process's id, never
/// by name), and killed if it does not stop.
/// </summary>
public sealed partial class DemoProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private DemoProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts the Demo on <paramref name="host"/> at <paramref name="port"/> (0: a free one) and waits for its "serving" line.</summary>
    public static async Task<DemoProcess> StartAsync(string host = "kestrel", int port = 0, params string[] extraArgs)
    {
        var demo = Path.Combine(AppContext.BaseDirectory, "HostKit.Demo.dll");
        var process = Process.Start(new ProcessStartInfo("dotnet", [demo, "--host", host, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. extraArgs])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var address = await ReadAddressAsync(process).WaitAsync(StartTimeout);
            // Keep draining the output so the process never blocks on a full pipe.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            return new DemoProcess(process, address);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the Demo again on <paramref name="port"/>, retrying for a while: the previous process's port can take a
    /// moment to be free again.
    /// </summary>
    public static async Task<DemoProcess> StartOnPortAsync(int port, string host = "kestrel")
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(host, port);
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (TimeoutException)
        {
            Kill(_process);
        }
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
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
