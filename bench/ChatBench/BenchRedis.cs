using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HostKit.ChatBench;

/// <summary>A redis-server of the benchmark's own on a free port of 127.0.0.1, no persistence, killed (by its pid) at the end.</summary>
internal sealed class BenchRedis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private BenchRedis(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public string Address => $"redis://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<BenchRedis> StartAsync()
    {
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("hostkit-chatbench-").FullName;
        var process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory])
        { RedirectStandardOutput = true })!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                break;
        }
        _ = process.StandardOutput.ReadToEndAsync();
        return new BenchRedis(process, port, directory);
    }

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
