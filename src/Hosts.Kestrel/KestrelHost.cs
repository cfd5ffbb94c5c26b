using System.Net;
using System.Net.Sockets;
using HostKit.Hosts;
using HostKit.Hosts.Kestrel.Http2;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
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
        HostCapabilities.SharedPort | HostCapabilities.WebSocketFrameHeaderLimits | HostCapabilities.WebSocketCompression | HostCapabilities.Tls | HostCapabilities.Http2 | HostCapabilities.UnixSockets;

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = options.Urls.Select(url => (Url: url, Tls: ListenAddress.TlsFor(url, options))).ToList();
        // A unix socket's path is checked, and a stale file removed, before Kestrel binds it (UnixSocketFile.Bind, below).
        foreach (var unix in options.Urls.Where(ListenAddress.IsUnixSocket))
            UnixSocketFile.Prepare(unix, HostName);
        var runtime = new HostRuntime(HostName, application, options);
        var logger = runtime.Logger;

        var kestrelOptions = new KestrelServerOptions { AddServerHeader = false, AllowSynchronousIO = true };
        ApplyLimits(kestrelOptions.Limits, options.Limits);
        var connections = new ConnectionCounter(runtime);
        using var tlsServices = endpoints.Any(e => e.Tls is not null) ? KestrelTls.Services(options.LoggerFactory) : null;
        kestrelOptions.ApplicationServices = tlsServices?.Services!;
        var h2c = options.Http2 ? new H2cPriorKnowledge(runtime) : null;
        foreach (var (url, tls) in endpoints)
        {
            Action<ListenOptions> configure = listen =>
            {
                listen.Use(connections.Count);
                if (tls is not null)
                    KestrelTls.Use(listen, tls, options.Limits, options.Http2);
                else
                    h2c?.Use(listen);
            };
            if (ListenAddress.IsUnixSocket(url))
                kestrelOptions.ListenUnixSocket(ListenAddress.UnixSocketPath(url), configure);
            else
                kestrelOptions.Listen(ListenAddress.Parse(url, HostName), configure);
        }
        h2c?.Serve(kestrelOptions);
        var reusePort = options.ReusePort;
        // Kestrel has no setting for SO_REUSEPORT, and binds a unix socket without the host kit's file rules: both are bound here.
        var transportOptions = new SocketTransportOptions
        {
            CreateBoundListenSocket = endpoint => endpoint switch
            {
                UnixDomainSocketEndPoint unix => UnixSocketFile.Bind(unix.ToString(), HostName),
                IPEndPoint ip when reusePort => ListenAddress.Bind(ip, reusePort: true),
                _ => SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint),
            },
        };
        IConnectionListenerFactory transport = new LimitedTransportFactory(new SocketTransportFactory(Options.Create(transportOptions), options.LoggerFactory), connections, runtime);
        transport = h2c?.Transport(transport) ?? transport;
        var server = new KestrelServer(Options.Create(kestrelOptions), transport, options.LoggerFactory);
        try
        {
            await server.StartAsync(new KestrelApplication(runtime), cancellationToken);
        }
        catch (Exception ex) when (StartError(ex) is { } error)
        {
            server.Dispose();
            throw error;
        }
        catch (IOException ex)
        {
            server.Dispose();
            throw new HostStartException($"Kestrel could not listen on {string.Join(", ", options.Urls)}: {ex.Message}", ex);
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => !H2cPriorKnowledge.IsHandOff(a)).Select(ListenAddress.FromKestrel).ToList() ?? [];
        foreach (var address in bound)
            HostLog.Listening(logger, HostName, address.ToString(), runtime.ConnectionLimit.Description);
        return new RunningKestrel(server, runtime, bound);
    }

    /// <summary>The host kit's own start error (a unix socket <see cref="UnixSocketFile.Bind"/> refused), however deep Kestrel wrapped it.</summary>
    private static HostStartException? StartError(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HostStartException error)
                return error;
        }
        return null;
    }

    private static void ApplyLimits(KestrelServerLimits kestrel, HttpLimits limits)
    {
        kestrel.MaxRequestLineSize = limits.MaxRequestLineBytes;
        kestrel.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
        kestrel.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        kestrel.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.KeepAliveTimeout = limits.KeepAliveTimeout;
        // The connection limit is the host kit's (LimitedConnectionListener): Kestrel's own counts HTTP and upgraded
        // connections apart, so with both set a server could hold twice the descriptors the limit allows.
        kestrel.MaxConcurrentConnections = null;
        kestrel.MaxConcurrentUpgradedConnections = null;
    }
}
