using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace HostKit.Tests.Support;

/// <summary>
/// nginx in front of the test's nodes: the repository's own <c>deploy/nginx.conf</c> with its three marked addresses
/// rewritten to free ports, or a plain reverse proxy in front of one node; a temp prefix, <c>daemon off</c>, stopped with SIGTERM to the master this test started.
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
    public static Task<NginxServer> StartAsync(params Uri[] nodes)
    {
        if (nodes.Length != 2)
            throw new ArgumentException("deploy/nginx.conf balances two nodes.", nameof(nodes));
        var deployed = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "nginx.conf"));
        return StartWithAsync(port => Configure(deployed, port, nodes[0].Port, nodes[1].Port));
    }

    /// <summary>
    /// Starts nginx with the repository's own <c>deploy/nginx-unix.conf</c>, its listen address and the app's socket (the
    /// lines marked <c># port:</c> and <c># socket:</c>) rewritten to a free port and <paramref name="socketPath"/>.
    /// </summary>
    public static Task<NginxServer> InFrontOfUnixSocketAsync(string socketPath)
    {
        var deployed = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "nginx-unix.conf"));
        const string Listen = "127.0.0.1:8080";
        const string Socket = "unix:/run/hostkit/hostkit.sock";
        Assert.Contains(Listen, deployed, StringComparison.Ordinal);
        Assert.Contains(Socket, deployed, StringComparison.Ordinal);
        return StartWithAsync(port => deployed
            .Replace(Listen, $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace(Socket, "unix:" + socketPath, StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts nginx as a plain reverse proxy in front of one <paramref name="node"/>, with nginx's defaults (request
    /// bodies buffered, the Host header the upstream's): what docs/hosts.md means by "behind a reverse proxy".
    /// </summary>
    public static Task<NginxServer> InFrontOfAsync(Uri node) =>
        StartWithAsync(port => $$"""
            worker_processes 1;
            pid nginx.pid;
            error_log stderr notice;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path client_body_temp;
                proxy_temp_path proxy_temp;
                fastcgi_temp_path fastcgi_temp;
                uwsgi_temp_path uwsgi_temp;
                scgi_temp_path scgi_temp;
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                    location / {
                        proxy_pass http://127.0.0.1:{{node.Port.ToString(CultureInfo.InvariantCulture)}};
                        proxy_http_version 1.1;
                    }
                }
            }
            """);

    private static async Task<NginxServer> StartWithAsync(Func<int, string> configFor)
    {
        RequiredComponent.File(Executable, "nginx-light");
        var prefix = Directory.CreateTempSubdirectory("hostkit-nginx-").FullName;
        var port = FreePort.Next();
        var configPath = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(configPath, configFor(port));
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
