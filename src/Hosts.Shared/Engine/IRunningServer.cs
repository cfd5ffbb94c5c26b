using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>A server started by <see cref="IServerHost.StartAsync"/>.</summary>
public interface IRunningServer : IAsyncDisposable
{
    /// <summary>The addresses actually bound, with real ports where 0 was asked for.</summary>
    IReadOnlyList<Uri> Addresses { get; }

    /// <summary>
    /// Stops gracefully: stops accepting, closes open websockets with 1001 (going away), lets
    /// requests in flight finish until <see cref="ServerOptions.ShutdownTimeout"/> or
    /// <paramref name="cancellationToken"/>, then drops what remains.
    /// </summary>
    Task StopAsync(CancellationToken cancellationToken = default);
}
