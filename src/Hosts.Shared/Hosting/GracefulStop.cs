namespace HostKit.Hosts;

/// <summary>
/// The one order every host stops in, so that a stop drops nothing it could finish (after uvicorn's
/// <c>server.py</c>): stop accepting connections; refuse new requests and upgrades (503); let HTTP
/// requests in flight finish, up to <see cref="ServerOptions.ShutdownTimeout"/>; close every websocket
/// with 1001, waiting up to <see cref="WebSocketOptions.CloseTimeout"/> for the peers; then drop what is left.
/// </summary>
public static class GracefulStop
{
    /// <summary>Stops the server of <paramref name="runtime"/>.</summary>
    /// <param name="runtime">The server.</param>
    /// <param name="stopAccepting">The engine's part of step 1: close the listeners (idle keep-alive connections may close too).</param>
    /// <param name="abortRemaining">The engine's last step: drop every connection still open and wait until they are gone.</param>
    /// <param name="cancellationToken">Cuts every wait short: what is left is dropped at once.</param>
    public static async Task RunAsync(HostRuntime runtime, Func<Task> stopAccepting, Func<Task> abortRemaining, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(stopAccepting);
        ArgumentNullException.ThrowIfNull(abortRemaining);
        var activity = runtime.Activity;
        activity.BeginStopping();
        try
        {
            await stopAccepting();
            using (var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                drain.CancelAfter(runtime.Options.ShutdownTimeout);
                try
                {
                    await activity.WhenNoRequestsAsync(drain.Token);
                }
                catch (OperationCanceledException)
                {
                    // Requests still running after the grace period are dropped with the rest.
                }
            }
            using var close = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            close.CancelAfter(runtime.Options.WebSockets.CloseTimeout);
            await activity.WebSockets.CloseAllAsync(close.Token);
        }
        finally
        {
            await abortRemaining();
        }
    }
}
