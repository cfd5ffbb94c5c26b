using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace HostKit.Tests.Support;

/// <summary>
/// nginx in front of the test's nodes, from the repository's own <c>deploy/nginx.conf</c> with its three marked addresses
/// rewritten to free ports: a temp prefix, <c>daemon off</c>, stopped with SIGTERM to the master this test started.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly string _prefix;

    private NginxServer(Process process, string prefix, Uri address, ProcessOutput output)
    {
        _process = process;
        _prefix = prefix;
        Address = address;
        Output = output;
    }

    /// <summary>Where clients connect: <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    public ProcessOutput Output { get; }

    /// <summary>Starts nginx balancing <paramref name="nodes"/> (two); skips (or fails under HOSTKIT_REQUIRE_ALL=1) without nginx.</summary>
    public static async Task<NginxServer> StartAsync(params Uri[] nodes)
    {
        RequiredComponent.File(Executable, "nginx-light");
        if (nodes.Length != 2)
            throw new ArgumentException("deploy/nginx.conf balances two nodes.", nameof(nodes));
        var prefix = Directory.CreateTempSubdirectory("hostkit-nginx-").FullName;
        var port = FreePort.Next();
        var config = Configure(File.ReadAllText(Path.Combine(Repository.Root, "deploy", "nginx.conf")), port, nodes[0].Port, nodes[1].Port);
        var configPath = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(configPath, config);
        var process = Process.Start(new ProcessStartInfo(Executable, ["-p", prefix + "/", "-c", configPath, "-g", "daemon off;"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = ProcessOutput.Of(process);
        var server = new NginxServer(process, prefix, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), output);
        await server.WaitUntilListeningAsync(port);
        return server;
    }

    /// <summary><paramref name="config"/> with the addresses marked <c># port:</c> replaced.</summary>
    public static string Configure(string config, int listen, int nodeA, int nodeB)
    {
        string[] expected = ["127.0.0.1:8080", "127.0.0.1:8001", "127.0.0.1:8002"];
        foreach (var address in expected)
            Assert.Contains(address, config, StringComparison.Ordinal);
        return config
            .Replace("127.0.0.1:8080", $"127.0.0.1:{listen.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("127.0.0.1:8001", $"127.0.0.1:{nodeA.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("127.0.0.1:8002", $"127.0.0.1:{nodeB.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM to the master: it stops its worker too (a SIGKILL would leave the worker behind).
            DemoProcess.Signal("TERM", _process.Id);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(Timeout);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        Directory.Delete(_prefix, recursive: true);
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            if (_process.HasExited)
                throw new Xunit.Sdk.XunitException("nginx exited at start:\n" + Output.Text);
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
