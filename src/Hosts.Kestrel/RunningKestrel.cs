using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HostKit.Hosts.Kestrel;

/// <summary>A running Kestrel server.</summary>
internal sealed class RunningKestrel(KestrelServer server, WebSocketTracker tracker, TimeSpan shutdownTimeout, IReadOnlyList<Uri> addresses) : IRunningServer
{
    private readonly Lock _gate = new();
    private Task? _stopping;

    public IReadOnlyList<Uri> Addresses => addresses;

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return _stopping ??= StopCoreAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        server.Dispose();
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(shutdownTimeout);
        // Websockets first: Kestrel waits for every request in flight, and a websocket is one until its handler returns.
        await tracker.CloseAllAsync(timeout.Token);
        await server.StopAsync(timeout.Token);
    }
}
