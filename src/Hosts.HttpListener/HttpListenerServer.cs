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
    private readonly DescriptorGuard? _descriptors;
    private Task? _stop;

    public HttpListenerServer(System.Net.HttpListener listener, HostRuntime runtime, IReadOnlyList<Uri> addresses, DescriptorGuard? descriptors)
    {
        _listener = listener;
        _descriptors = descriptors;
        _runtime = runtime;
        _handler = new HttpListenerRequestHandler(runtime);
        Addresses = addresses;
        _acceptLoop = AcceptLoopAsync();
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

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (_stopping.IsCancellationRequested)
                    return;
                HostLog.ConnectionFailed(_runtime.Logger, ex, "accept");
                continue;
            }
            _ = Task.Run(() => _handler.HandleAsync(context, _stopping.Token));
        }
    }

    private async Task AbortRemainingAsync()
    {
        await _stopping.CancelAsync();
        // Before the listener closes its sockets, whose descriptors the guard's gate names.
        _descriptors?.Dispose();
        _listener.Close();
        await _acceptLoop;
    }
}
