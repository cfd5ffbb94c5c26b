using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.HttpListener;

/// <summary>A running HttpListener: one loop takes contexts and runs each request on the thread pool.</summary>
internal sealed class HttpListenerServer : IRunningServer
{
    private readonly System.Net.HttpListener _listener;
    private readonly HttpListenerRequestHandler _handler;
    private readonly WebSocketTracker _tracker;
    private readonly TimeSpan _shutdownTimeout;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly Lock _gate = new();
    private Task? _stop;

    public HttpListenerServer(System.Net.HttpListener listener, HttpListenerRequestHandler handler, WebSocketTracker tracker, TimeSpan shutdownTimeout, IReadOnlyList<Uri> addresses, ILogger logger)
    {
        _listener = listener;
        _handler = handler;
        _tracker = tracker;
        _shutdownTimeout = shutdownTimeout;
        _logger = logger;
        Addresses = addresses;
        _acceptLoop = AcceptLoopAsync();
    }

    public IReadOnlyList<Uri> Addresses { get; }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return _stop ??= StopCoreAsync(cancellationToken);
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
                HostLog.ConnectionFailed(_logger, ex, "accept");
                continue;
            }
            var request = Task.Run(() => _handler.HandleAsync(context, _stopping.Token));
            _inFlight.TryAdd(request, 0);
            _ = request.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_shutdownTimeout);
        try
        {
            await _tracker.CloseAllAsync(timeout.Token);
            await Task.WhenAll(_inFlight.Keys).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Requests still running after the grace period are dropped with the listener.
        }
        finally
        {
            await _stopping.CancelAsync();
            _listener.Close();
            await _acceptLoop;
        }
    }
}
