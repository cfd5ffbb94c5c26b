using HostKit.Engines.KestrelH2c;
using HostKit.Hosts;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

[assembly: ServerHost(typeof(HostKit.Hosts.Kestrel.KestrelHost), Order = 0)]

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// The <c>kestrel</c> host: ASP.NET Core's Kestrel server at the bottom of ASP.NET Core, with the
/// HostKit application as its <c>IHttpApplication</c> (no generic host, no middleware, no
/// <c>HttpContext</c>): Kestrel parses, frames and limits; the host kit decides the response.
/// </summary>
public sealed class KestrelHost : IServerHost
{
    internal const string HostName = "kestrel";

    /// <inheritdoc />
    public string Name => HostName;

    /// <inheritdoc />
    public string Engine => "ASP.NET Core Kestrel";

    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols |
        HostCapabilities.WebSocketKeepAliveTimeout | HostCapabilities.RequestLimits | HostCapabilities.Network | HostCapabilities.AbortsFailedResponses | HostCapabilities.HttpPipelining |
        HostCapabilities.SignalsClientDisconnect | HostCapabilities.StrictRequestParsing | HostCapabilities.RequestTimeouts | HostCapabilities.ConnectionLimit |
        HostCapabilities.SharedPort | HostCapabilities.WebSocketFrameHeaderLimits | HostCapabilities.WebSocketCompression | HostCapabilities.Tls | HostCapabilities.Http2 | HostCapabilities.UnixSockets | HostCapabilities.RepeatedHeaderLines;

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = options.Urls.Select(url => (Url: url, Tls: ListenAddress.TlsFor(url, options))).ToList();
        var runtime = new HostRuntime(HostName, application, options);

        var kestrelOptions = new KestrelServerOptions { AddServerHeader = false, AllowSynchronousIO = true };
        ApplyLimits(kestrelOptions.Limits, options.Limits);
        // Kestrel's open connections, upgraded or not, held to the kit's limit: counted at accept (LimitedSocketListener), and
        // reported and counted closed by a connection middleware around each.
        var connections = new ConnectionCount(runtime);
        using var tlsServices = endpoints.Any(e => e.Tls is not null) ? KestrelTls.Services(options.LoggerFactory) : null;
        kestrelOptions.ApplicationServices = tlsServices?.Services!;
        // h2c beside HTTP/1.1 on each http:// address (src/Engines.KestrelH2c); a client stopped mid-preface is a slow head: the kit's 408.
        var h2c = options.Http2
            ? new H2cPriorKnowledge(options.Limits.RequestHeadersTimeout, c => ConnectionRefusal.RefuseAsync(c.Transport.Output, RequestRejection.HeadersTimeout, runtime))
            : null;
        foreach (var (url, tls) in endpoints)
        {
            LimitedSocketTransport.Listen(kestrelOptions, url, HostName, listen =>
            {
                listen.Use(next =>
                {
                    Func<ConnectionContext, Task> serve = next.Invoke; // made once per endpoint, not once per connection
                    return connection => connections.ServeAsync(serve, connection);
                });
                if (tls is not null)
                    KestrelTls.Use(listen, tls, options.Limits, options.Http2);
                else
                    h2c?.Use(listen);
            });
        }
        h2c?.Serve(kestrelOptions);
        // Bound and accepted the host kit's way, held to the connection limit (src/Hosts.KestrelSockets, shared with kestrel-transport).
        IConnectionListenerFactory transport = new LimitedSocketTransport(runtime, HostName, connections.TryOpen);
        transport = h2c?.Transport(transport) ?? transport;
        var server = new KestrelServer(Options.Create(kestrelOptions), transport, options.LoggerFactory);
        await server.StartAsync(new KestrelApplication(runtime), cancellationToken);
        var bound = server.Features.Get<IServerAddressesFeature>()!.Addresses
            .Where(a => !H2cPriorKnowledge.IsHandOff(a)).Select(ListenAddress.FromKestrel).ToList();
        runtime.Listening(bound);
        return new RunningKestrel(server, runtime, bound);
    }

    private static void ApplyLimits(KestrelServerLimits kestrel, HttpLimits limits)
    {
        kestrel.MaxRequestLineSize = limits.MaxRequestLineBytes;
        kestrel.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
        kestrel.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        kestrel.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.KeepAliveTimeout = limits.KeepAliveTimeout;
        // The connection limit is the host kit's (LimitedSocketListener): Kestrel's own counts HTTP and upgraded
        // connections apart, so with both set a server could hold twice the descriptors the limit allows.
        kestrel.MaxConcurrentConnections = null;
        kestrel.MaxConcurrentUpgradedConnections = null;
    }
}
