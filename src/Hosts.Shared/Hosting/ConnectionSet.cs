using System.Collections.Concurrent;

namespace HostKit.Hosts;

/// <summary>
/// The open connections of a host that owns its sockets: held to <see cref="HttpLimits.MaxConcurrentConnections"/>,
/// reported to <see cref="HostMetrics"/>, and stopped the way <see cref="GracefulStop"/> says.
/// </summary>
/// <typeparam name="TConnection">The host's connection type.</typeparam>
/// <param name="runtime">The server.</param>
public sealed class ConnectionSet<TConnection>(HostRuntime runtime) where TConnection : class, IHostConnection
{
    private readonly ConcurrentDictionary<TConnection, byte> _open = new();

    /// <summary>How many are open.</summary>
    public int Count => _open.Count;

    /// <summary>True when one more connection would be over <see cref="HttpLimits.MaxConcurrentConnections"/>: refuse it (<see cref="RequestRejection.TooManyConnections"/>).</summary>
    public bool IsFull => _open.Count >= runtime.Options.Limits.MaxConcurrentConnections;

    /// <summary>Tracks <paramref name="connection"/> until its <see cref="IHostConnection.Completion"/>, which must already stand for its whole run.</summary>
    public void Add(TConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _open.TryAdd(connection, 0);
        runtime.Metrics.ConnectionOpened();
        connection.Completion.ContinueWith(closed =>
        {
            if (_open.TryRemove(connection, out _))
                runtime.Metrics.ConnectionClosed();
        }, TaskScheduler.Default);
    }

    /// <summary>Asks every connection to close after its current request.</summary>
    public void RequestStopAll()
    {
        foreach (var connection in _open.Keys)
            connection.RequestStop();
    }

    /// <summary>Completes when every connection has closed on its own.</summary>
    public Task WhenAllClosedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_open.Keys.Select(c => c.Completion)).WaitAsync(cancellationToken);

    /// <summary>Drops every connection still open and waits (bounded) until they are gone.</summary>
    public async Task AbortAllAsync()
    {
        foreach (var connection in _open.Keys)
            connection.Abort();
        await Task.WhenAll(_open.Keys.Select(c => c.Completion)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
    }
}
