using System.Net;

namespace HostKit.Hosts.HttpListener;

/// <summary>
/// A running HttpListener: one loop takes contexts and runs each request on the thread pool.
/// HttpListener cannot stop listening without dropping the requests it holds, so while the server
/// stops, the loop goes on taking contexts and each new request is refused with 503 (the host kit's
/// <see cref="ServerActivity.IsStopping"/>); the listener closes once the drain is over.
/// </summary>
internal sealed class HttpListenerServer : IRunningServer
{
    private readonly System.Net.HttpListener _listener;
    private readonly HostRuntime _runtime;
    private readonly HttpListenerRequestHandler _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly Lock _gate = new();
    private readonly Lock _closing = new(); // NextContextAsync against the listener's Close
    private readonly DescriptorGuard? _descriptors;
    private Task? _stop;

    public HttpListenerServer(System.Net.HttpListener listener, HostRuntime runtime, IReadOnlyList<Uri> addresses, DescriptorGuard? descriptors)
    {
        _listener = listener;
        _descriptors = descriptors;
        _runtime = runtime;
        _handler = new HttpListenerRequestHandler(runtime);
        Addresses = addresses;
        // On the thread pool: a request already queued is not served inside this constructor.
        _acceptLoop = Task.Run(() => AcceptLoop.RunAsync(NextContextAsync, context => _ = Task.Run(() => ServeAsync(context)), AcceptFailureOf, runtime));
    }

    public IReadOnlyList<Uri> Addresses { get; }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return _stop ??= GracefulStop.RunAsync(_runtime, () => Task.CompletedTask, _ => Task.CompletedTask, AbortRemainingAsync, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    /// <summary>
    /// What a failed <c>GetContextAsync</c> means to the kit's loop: the end once the listener is closed (HttpListener goes on
    /// taking requests while the server stops); otherwise the loop goes on, pausing after what the engine does not explain.
    /// </summary>
    private AcceptFailure AcceptFailureOf(Exception ex) =>
        // Whatever the engine throws, the loop goes on: a server that stops accepting without a word is the worst outcome.
        _stopping.IsCancellationRequested ? AcceptFailure.Stopped
        : ex is HttpListenerException or ObjectDisposedException or InvalidOperationException ? AcceptFailure.ConnectionFailed
        : AcceptFailure.Unexplained;

    /// <summary>
    /// Runs one request. The host kit answers the application's own exceptions; what escapes it (an assembly the engine
    /// could not load, an engine fault) is logged and the connection reset, so that the client is never left waiting.
    /// </summary>
    private async Task ServeAsync(HttpListenerContext context)
    {
        try
        {
            await _handler.HandleAsync(context, _stopping.Token);
        }
        catch (Exception ex)
        {
            HostLog.ConnectionFailed(_runtime.Logger, ex, "request");
            new HttpListenerResponseAdapter(context).Abort();
        }
    }

    /// <summary>
    /// The next request the engine holds, unless the stop has come to closing the listener. The engine ends the waits it
    /// holds when it closes, but a wait begun during the close was seen never to end, and the stop waited on it for good
    /// (2 runs in 3 of ten stops each, when the kit's accept loop asked again at once after each request): so none begins
    /// while it closes, and none after (<see cref="AbortRemainingAsync"/>).
    /// </summary>
    private ValueTask<HttpListenerContext> NextContextAsync()
    {
        lock (_closing)
        {
            return _stopping.IsCancellationRequested
                ? ValueTask.FromException<HttpListenerContext>(new ObjectDisposedException(nameof(System.Net.HttpListener)))
                : new ValueTask<HttpListenerContext>(_listener.GetContextAsync());
        }
    }

    private async Task AbortRemainingAsync()
    {
        await _stopping.CancelAsync();
        // Before the listener closes its sockets, whose descriptors the guard's gate names.
        _descriptors?.Dispose();
        lock (_closing)
            _listener.Close();
        await _acceptLoop;
    }
}
