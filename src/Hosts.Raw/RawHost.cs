using System.Net.Sockets;
using HostKit.Hosts;
using Microsoft.Extensions.Logging;

[assembly: ServerHost(typeof(HostKit.Hosts.Raw.RawHost), Order = 10)]

namespace HostKit.Hosts.Raw;

/// <summary>
/// The <c>raw</c> host: HostKit's own HTTP/1.1 and websocket server, on <see cref="Socket"/> and
/// System.IO.Pipelines, with a sans-I/O parser. Small enough to read in one sitting.
/// </summary>
public sealed class RawHost : IServerHost
{
    internal const string HostName = "raw";

    /// <inheritdoc />
    public string Name => HostName;

    /// <inheritdoc />
    public string Engine => "HostKit's own HTTP/1.1 server on Socket + Pipelines";

    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols |
        HostCapabilities.WebSocketKeepAliveTimeout | HostCapabilities.RequestLimits | HostCapabilities.Network | HostCapabilities.AbortsFailedResponses | HostCapabilities.HttpPipelining |
        HostCapabilities.SignalsClientDisconnect | HostCapabilities.StrictRequestParsing | HostCapabilities.RequestTimeouts | HostCapabilities.ConnectionLimit |
        HostCapabilities.SharedPort | HostCapabilities.WebSocketFrameHeaderLimits | HostCapabilities.WebSocketCompression | HostCapabilities.Tls | HostCapabilities.UnixSockets | HostCapabilities.RepeatedHeaderLines;

    /// <inheritdoc />
    public Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        var listeners = new List<(Socket Socket, TlsOptions? Tls)>();
        var addresses = new List<Uri>();
        try
        {
            foreach (var url in options.Urls)
            {
                var tls = ListenAddress.TlsFor(url, options);
                var listener = ListenAddress.Listen(url, HostName, options.ReusePort);
                listeners.Add((listener, tls));
                addresses.Add(ListenAddress.Bound(url, listener));
            }
        }
        catch
        {
            listeners.ForEach(l => l.Socket.Dispose());
            throw;
        }
        var server = new RawServer(application, options, listeners, addresses);
        server.Runtime.Listening(addresses);
        return Task.FromResult<IRunningServer>(server);
    }
}
