using Microsoft.AspNetCore.Builder;

namespace HostKit.Hosts.Kestrel;

/// <summary>A running Kestrel server.</summary>
internal sealed class KestrelServer(WebApplication app, WebSocketTracker tracker, TimeSpan shutdownTimeout, IReadOnlyList<Uri> addresses) : IRunningServer
{
    private Task? _stopping;

    public IReadOnlyList<Uri> Addresses => addresses;

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (tracker)
            _stopping ??= StopCoreAsync(cancellationToken);
        return _stopping;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(shutdownTimeout);
        // Websockets first: Kestrel waits for every request in flight, and a websocket is one until its handler returns.
        await tracker.CloseAllAsync(timeout.Token);
        await app.StopAsync(timeout.Token);
    }
}
