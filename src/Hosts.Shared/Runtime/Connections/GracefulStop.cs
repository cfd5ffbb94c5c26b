namespace HostKit.Hosts.Runtime;

/// <summary>
/// The one order every host stops in, so that a stop drops nothing it could finish (after uvicorn's
/// <c>server.py</c>): stop accepting connections; refuse new requests and upgrades (503); let HTTP
/// requests in flight finish, up to <see cref="ServerOptions.ShutdownTimeout"/>; close every websocket
/// with 1001, waiting up to <see cref="WebSocketOptions.CloseTimeout"/> for the peers; let the
/// connections send what they were answered and close; then drop what is left.
/// </summary>
public static class GracefulStop
{
    /// <summary>The least time connections get to send their last answers, however much of the drain time requests used.</summary>
    private static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(2);

    /// <summary>Stops the server of <paramref name="runtime"/>, with the engine's three parts.</summary>
    /// <param name="runtime">The server.</param>
    /// <param name="stopAccepting">Close the listeners, and ask open connections to close after their current request (idle ones at once).</param>
    /// <param name="connectionsClosed">Completes when every connection has closed on its own; cancelled when the grace is over.</param>
    /// <param name="abort">Drop every connection still open, and wait until they are gone.</param>
    /// <param name="cancellationToken">Cuts every wait short: what is left is dropped at once.</param>
    public static async Task RunAsync(HostRuntime runtime, Func<Task> stopAccepting, Func<CancellationToken, Task> connectionsClosed, Func<Task> abort,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(stopAccepting);
        ArgumentNullException.ThrowIfNull(connectionsClosed);
        ArgumentNullException.ThrowIfNull(abort);
        var activity = runtime.Activity;
        activity.BeginStopping();
        var deadline = DateTime.UtcNow + runtime.Options.ShutdownTimeout;
        try
        {
            await stopAccepting();
            await WithinAsync(activity.WhenNoRequestsAsync, runtime.Options.ShutdownTimeout, cancellationToken);
            using (var close = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                close.CancelAfter(runtime.Options.WebSockets.CloseTimeout);
                await activity.WebSockets.CloseAllAsync(close.Token);
            }
            // A request counts as done once its answer is handed to the engine, which may still be sending it.
            var left = deadline - DateTime.UtcNow;
            await WithinAsync(connectionsClosed, left > FlushGrace ? left : FlushGrace, cancellationToken);
        }
        finally
        {
            await abort();
        }
    }

    /// <summary>Stops a host that owns its sockets: <paramref name="stopListening"/> closes its listeners, and <paramref name="connections"/> does the rest.</summary>
    public static Task RunAsync<TConnection>(HostRuntime runtime, Action stopListening, ConnectionSet<TConnection> connections, CancellationToken cancellationToken)
        where TConnection : class, IHostConnection
    {
        ArgumentNullException.ThrowIfNull(stopListening);
        ArgumentNullException.ThrowIfNull(connections);
        return RunAsync(runtime, () =>
        {
            stopListening();
            connections.RequestStopAll();
            return Task.CompletedTask;
        }, connections.WhenAllClosedAsync, connections.AbortAllAsync, cancellationToken);
    }

    private static async Task WithinAsync(Func<CancellationToken, Task> wait, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await wait(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Whatever is still running past the limit is dropped with the rest.
        }
    }
}
