using System.Net;
using System.Net.Sockets;
using HostKit.Hosts;

[assembly: ServerHost(typeof(HostKit.Hosts.HttpListener.HttpListenerHost), Order = 20)]

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// The <c>httplistener</c> host: <see cref="System.Net.HttpListener"/>, the engine WatsonWebsocket is
/// built on. The adapter makes up for what the engine lacks: port 0 (it picks a free port itself)
/// and the request body limit. It cannot detect a silent websocket peer (no pong timeout), and
/// cannot cut a chunked response short (after <c>Abort()</c> the client still gets a terminated body),
/// and resets connections that pipeline requests.
/// </summary>
public sealed class HttpListenerHost : IServerHost
{
    internal const string HostName = "httplistener";
    private const int BindAttempts = 5;

    /// <inheritdoc />
    public string Name => HostName;

    /// <inheritdoc />
    public string Engine => "System.Net.HttpListener";

    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols | HostCapabilities.Network |
        HostCapabilities.RequestLimits;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        ListenAddress.RequireHttp(options.Urls, HostName, "HttpListener on Linux takes no certificate");
        ListenAddress.RequireTcp(options.Urls, HostName, "HttpListener takes http:// prefixes only, and its managed engine binds a TCP port for each");
        // HttpListener accepts every connection itself, so the request path's first loads race the connections for descriptors.
        AssemblyPreload.References(typeof(HttpListenerHost).Assembly, typeof(System.Net.HttpListener).Assembly, typeof(HostRuntime).Assembly);
        var runtime = new HostRuntime(HostName, application, options);
        var (listener, addresses) = Listen(options.Urls);
        // The engine accepts every connection itself, and at the descriptor limit its accept loop recurses until the process dies.
        var guard = DescriptorGuard.Start(addresses.Select(a => a.Port).ToHashSet(), runtime);
        runtime.Listening(addresses, DescriptorGuard.StartLine(runtime.ConnectionLimit, guard));
        return Task.FromResult<IRunningServer>(new HttpListenerServer(listener, runtime, addresses, guard));
    }

    private static (System.Net.HttpListener Listener, List<Uri> Addresses) Listen(IReadOnlyList<Uri> urls)
    {
        for (var attempt = 1; ; attempt++)
        {
            // Write errors must surface: they are how the adapter learns that a client went away mid-response.
            var listener = new System.Net.HttpListener { IgnoreWriteExceptions = false };
            var addresses = new List<Uri>();
            foreach (var url in urls)
            {
                var (prefix, address) = Prefix(url);
                listener.Prefixes.Add(prefix);
                addresses.Add(address);
            }
            try
            {
                listener.Start();
                return (listener, addresses);
            }
            catch (HttpListenerException) when (attempt < BindAttempts && urls.Any(u => u.Port == 0))
            {
                // Another process took the free port between our probe and HttpListener's bind: try another.
                listener.Close();
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                throw new HostStartException($"HttpListener could not listen on {string.Join(", ", urls)}: {ex.Message}", ex);
            }
        }
    }

    /// <summary>HttpListener wants a prefix and cannot bind port 0: find a free port first.</summary>
    private static (string Prefix, Uri Address) Prefix(Uri url)
    {
        var ip = ListenAddress.Parse(url, HostName).Address;
        var port = url.Port;
        if (port == 0)
        {
            using var probe = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(ip, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var host = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? "+" : url.Host;
        return ($"http://{host}:{port}/", new UriBuilder("http", url.Host, port).Uri);
    }
}
