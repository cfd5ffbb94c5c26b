using System.Net;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HostKit.Benchmarks.EndToEnd;

/// <summary>Kestrel started the way the <c>kestrel</c> host starts it (same transport, no server header), serving <see cref="BareKestrelApplication"/>.</summary>
internal sealed class BareKestrelServer : IAsyncDisposable
{
    private readonly KestrelServer _server;

    private BareKestrelServer(KestrelServer server, Uri address)
    {
        _server = server;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BareKestrelServer> StartAsync(IPEndPoint endpoint)
    {
        var options = new KestrelServerOptions { AddServerHeader = false };
        options.Listen(endpoint);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
        await server.StartAsync(new BareKestrelApplication(), CancellationToken.None);
        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BareKestrelServer(server, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _server.StopAsync(timeout.Token);
        _server.Dispose();
    }
}
