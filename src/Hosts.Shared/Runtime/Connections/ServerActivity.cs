namespace HostKit.Hosts.Runtime;

/// <summary>
/// What a running server has in flight: HTTP requests, open websockets, and whether it is stopping.
/// The host kit's pieces report to it (<see cref="ApplicationInvoker"/>, <see cref="RequestPipeline"/>,
/// <see cref="HostWebSocketUpgrade"/>), and <see cref="GracefulStop"/> drains it.
/// </summary>
public sealed class ServerActivity
{
    private readonly Lock _gate = new();
    private int _requests;
    private TaskCompletionSource? _idle;

    /// <summary>The open websockets, closed with 1001 when the server stops.</summary>
    public WebSocketTracker WebSockets { get; } = new();

    /// <summary>True once the server began to stop: new requests and upgrades are refused (503).</summary>
    public bool IsStopping { get; private set; }

    /// <summary>HTTP requests between their head and their last response byte (a request that became a websocket no longer counts).</summary>
    public int RequestsInFlight => Volatile.Read(ref _requests);

    /// <summary>A request's application is about to run.</summary>
    public void RequestStarted() => Interlocked.Increment(ref _requests);

    /// <summary>A request is done (answered, refused, aborted), or became a websocket.</summary>
    public void RequestEnded()
    {
        if (Interlocked.Decrement(ref _requests) != 0)
            return;
        lock (_gate)
            _idle?.TrySetResult();
    }

    /// <summary>Refuses what comes next; requests in flight go on.</summary>
    internal void BeginStopping() => IsStopping = true;

    /// <summary>Completes when no HTTP request is in flight, or throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires first.</summary>
    internal Task WhenNoRequestsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (RequestsInFlight == 0)
                return Task.CompletedTask;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }
}
