namespace HostKit.Hosts.Runtime;

/// <summary>
/// The open connections of an engine that keeps them itself (Kestrel's, which has no connection object for a
/// <see cref="ConnectionSet{TConnection}"/> to hold), held to the same rules: counted against <see cref="HostRuntime.ConnectionLimit"/>
/// when accepted (<see cref="TryOpen"/>), so that a burst of accepts cannot pass the limit before the first is served, and
/// reported to <see cref="HostMetrics"/> under the same names as every host while they are served (<see cref="ServeAsync{TConnection}"/>).
/// </summary>
/// <param name="runtime">The server.</param>
public sealed class ConnectionCount(HostRuntime runtime)
{
    private long _open;

    /// <summary>Counts one more connection as it is accepted, when the limit admits it; false means refuse it (<see cref="Protocol.RequestRejection.TooManyConnections"/>).</summary>
    public bool TryOpen()
    {
        if (runtime.ConnectionLimit.Admits(Interlocked.Increment(ref _open) - 1))
            return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    /// <summary>
    /// Serves a connection admitted by <see cref="TryOpen"/> with <paramref name="serve"/>: reported open while it runs, counted
    /// closed when it ends, however it ends.
    /// </summary>
    /// <param name="serve">The engine's serving of the connection (a connection middleware's next step, say).</param>
    /// <param name="connection">The engine's connection.</param>
    public async Task ServeAsync<TConnection>(Func<TConnection, Task> serve, TConnection connection)
    {
        ArgumentNullException.ThrowIfNull(serve);
        runtime.Metrics.ConnectionOpened();
        try
        {
            await serve(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            runtime.Metrics.ConnectionClosed();
        }
    }
}
