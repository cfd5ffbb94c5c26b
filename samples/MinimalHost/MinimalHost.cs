using System.Net.Sockets;
using HostKit.Hosts;

// Step 1: declare the host, so that a runner finds it among the packages an app references.
[assembly: ServerHost(typeof(HostKit.Samples.MinimalHost.MinimalHost), Order = 90)]

namespace HostKit.Samples.MinimalHost;

/// <summary>
/// The <c>minimal</c> host: a listening <see cref="Socket"/>, one task per connection, and the host kit's
/// HTTP/1.1 connection (<see cref="Http1PipeConnection"/>) over it. Everything HTTP is decided by the host kit; this host
/// accepts sockets. docs/hosts.md walks through it.
/// </summary>
public sealed class MinimalHost : IServerHost
{
    /// <inheritdoc />
    public string Name => "minimal";

    /// <inheritdoc />
    public string Engine => "Socket and the host kit's Http1Protocol (samples/MinimalHost)";

    // Step 2: say what it does; the conformance suite runs exactly the cases these select.
    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols | HostCapabilities.WebSocketKeepAliveTimeout |
        HostCapabilities.Network | HostCapabilities.RequestLimits | HostCapabilities.StrictRequestParsing | HostCapabilities.HttpPipelining |
        HostCapabilities.WebSocketFrameHeaderLimits | HostCapabilities.WebSocketCompression | HostCapabilities.RequestTimeouts | HostCapabilities.Tls |
        HostCapabilities.UnixSockets | HostCapabilities.SignalsClientDisconnect | HostCapabilities.RepeatedHeaderLines;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var runtime = new HostRuntime(Name, application, options);
        var listeners = options.Urls.Select(url => (url, ListenAddress.Listen(url, Name), ListenAddress.TlsFor(url, options))).ToList();
        return Task.FromResult<IRunningServer>(new MinimalServer(runtime, listeners));
    }
}
