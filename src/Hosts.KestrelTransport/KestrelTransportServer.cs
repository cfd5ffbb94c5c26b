using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HostKit.Hosts.KestrelTransport;

/// <summary>A running kestrel-transport server: Kestrel accepting, the host kit's connections, and the host kit's stop order.</summary>
internal sealed class KestrelTransportServer(KestrelServer server, HostRuntime runtime, ConnectionSet<Http1PipeConnection> connections,
    IReadOnlyList<Uri> addresses) : IRunningServer
{
    private Task? _stopping;

    public IReadOnlyList<Uri> Addresses => addresses;

    public Task StopAsync(CancellationToken cancellationToken = default) => _stopping ??= StopOnceAsync(cancellationToken);

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        // Kestrel's own stop ends the connections it handed over at once: it comes after the host kit's stop order, with
        // nothing left to wait for. Until then Kestrel listens, and a connection that arrives is refused with 503 (Http1PipeConnection).
        await GracefulStop.RunAsync(runtime, () => { }, connections, cancellationToken);
        await server.StopAsync(new CancellationToken(canceled: true));
        server.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
