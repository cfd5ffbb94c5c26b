using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace HostKit.Hosts.Kestrel;

/// <summary>A running Kestrel server.</summary>
internal sealed class RunningKestrel(KestrelServer server, HostRuntime runtime, IReadOnlyList<Uri> addresses) : IRunningServer
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _abort = new();
    private Task? _stopping;
    private Task _kestrelStopped = Task.CompletedTask;

    public IReadOnlyList<Uri> Addresses => addresses;

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return _stopping ??= GracefulStop.RunAsync(runtime, StopAcceptingAsync, cancel => _kestrelStopped.WaitAsync(cancel), AbortRemainingAsync, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        server.Dispose();
        _abort.Dispose();
    }

    /// <summary>
    /// Kestrel's own stop unbinds at once, closes idle keep-alive connections and lets the others finish their
    /// request; it waits for websockets too (each is a request until its handler returns), so it runs on until
    /// the host kit has closed them, and <see cref="_abort"/> ends what is left.
    /// </summary>
    private Task StopAcceptingAsync()
    {
        _kestrelStopped = server.StopAsync(_abort.Token);
        return Task.CompletedTask;
    }

    private async Task AbortRemainingAsync()
    {
        await _abort.CancelAsync();
        await _kestrelStopped;
    }
}
