using HostKit.Hosts;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

[assembly: ServerHost(typeof(HostKit.Hosts.KestrelTransport.KestrelTransportHost), Order = 40)]

namespace HostKit.Hosts.KestrelTransport;

/// <summary>
/// The <c>kestrel-transport</c> host: Kestrel's sockets and connection management, HostKit's HTTP/1.1. The host kit
/// accepts (<see cref="LimitedSocketTransport"/>, held to the connection limit), Kestrel hands each connection, as a pair
/// of pipes, to a <see cref="ConnectionHandler"/>; the host kit's protocol does the rest.
/// </summary>
public sealed class KestrelTransportHost : IServerHost
{
    /// <inheritdoc />
    public string Name => "kestrel-transport";

    /// <inheritdoc />
    public string Engine => "Kestrel's socket transport and the host kit's HTTP/1.1";

    /// <inheritdoc />
    public HostCapabilities Capabilities =>
        HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.WebSocketSubProtocols | HostCapabilities.WebSocketKeepAliveTimeout |
        HostCapabilities.Network | HostCapabilities.RequestLimits | HostCapabilities.StrictRequestParsing | HostCapabilities.HttpPipelining |
        HostCapabilities.WebSocketFrameHeaderLimits | HostCapabilities.WebSocketCompression | HostCapabilities.RequestTimeouts |
        HostCapabilities.AbortsFailedResponses | HostCapabilities.SharedPort | HostCapabilities.ConnectionLimit | HostCapabilities.UnixSockets |
        HostCapabilities.SignalsClientDisconnect | HostCapabilities.RepeatedHeaderLines;

    /// <inheritdoc />
    public async Task<IRunningServer> StartAsync(Application application, ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ListenAddress.RequireHttp(options.Urls, Name, "its handler speaks plain HTTP only");
        var runtime = new HostRuntime(Name, application, options);
        var handler = new HttpConnectionHandler(runtime);
        // UseConnectionHandler<T> takes its handler from the server's services: the one made here.
        var kestrelOptions = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = new ServiceCollection().AddSingleton(handler).BuildServiceProvider() };
        foreach (var url in options.Urls)
            LimitedSocketTransport.Listen(kestrelOptions, url, Name, listen => listen.UseConnectionHandler<HttpConnectionHandler>());
        // Kestrel's socket connections, accepted by the host kit: bound as on every host, held to the connection limit.
        var transport = new LimitedSocketTransport(runtime, Name, handler.Connections.TryAdmit);
        var server = new KestrelServer(Options.Create(kestrelOptions), transport, options.LoggerFactory);
        await server.StartAsync(new NoHttpApplication(), cancellationToken);
        var bound = server.Features.Get<IServerAddressesFeature>()!.Addresses.Select(ListenAddress.FromKestrel).ToList();
        runtime.Listening(bound);
        return new KestrelTransportServer(server, runtime, handler.Connections, bound);
    }
}
