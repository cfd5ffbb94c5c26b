using System.Collections.Concurrent;
using System.Net.Sockets;
using HostKit.Hosts.Raw.Connection;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Raw;

/// <summary>A running Raw server: its listening sockets, accept loops and open connections.</summary>
internal sealed class RawServer : IRunningServer
{
    private readonly List<Socket> _listeners;
    private readonly ConcurrentDictionary<HttpConnection, byte> _connections = new();
    private readonly Task[] _acceptLoops;
    private readonly Lock _stopGate = new();
    private Task? _stopping;

    public RawServer(Application application, ServerOptions options, List<Socket> listeners, IReadOnlyList<Uri> addresses)
    {
        Runtime = new HostRuntime(RawHost.HostName, application, options);
        _listeners = listeners;
        Addresses = addresses;
        _acceptLoops = [.. listeners.Select(AcceptLoopAsync)];
    }

    /// <summary>The server as the host kit sees it: application, options, logger, activity, metrics.</summary>
    public HostRuntime Runtime { get; }

    public ServerOptions Options => Runtime.Options;

    public ILogger Logger => Runtime.Logger;

    public IReadOnlyList<Uri> Addresses { get; }

    private bool IsStopping => _stopping is not null;

    public void Forget(HttpConnection connection)
    {
        if (_connections.TryRemove(connection, out _))
            Runtime.Metrics.ConnectionClosed();
    }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
            return _stopping ??= GracefulStop.RunAsync(Runtime, StopAcceptingAsync, ConnectionsClosedAsync, AbortRemainingAsync, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && IsStopping)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection that failed between SYN and accept (reset, out of descriptors): keep accepting.
                HostLog.ConnectionFailed(Logger, ex, "accept");
                continue;
            }
            socket.NoDelay = true;
            if (_connections.Count >= Options.Limits.MaxConcurrentConnections)
            {
                _ = ConnectionRefusal.RefuseAsync(socket, RequestRejection.TooManyConnections, Runtime);
                continue;
            }
            var connection = new HttpConnection(socket, this);
            _connections.TryAdd(connection, 0);
            Runtime.Metrics.ConnectionOpened();
            connection.Start();
        }
    }

    /// <summary>Closes the listeners, and asks every connection to close after its current request (idle ones close at once).</summary>
    private async Task StopAcceptingAsync()
    {
        await Task.Yield();
        foreach (var listener in _listeners)
            listener.Dispose();
        await Task.WhenAll(_acceptLoops);
        foreach (var connection in _connections.Keys)
            connection.RequestStop();
    }

    private Task ConnectionsClosedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_connections.Keys.Select(c => c.Completion)).WaitAsync(cancellationToken);

    private async Task AbortRemainingAsync()
    {
        foreach (var connection in _connections.Keys)
            connection.Abort();
        // An aborted connection ends at once; the wait is bounded all the same, so a stop always returns.
        await Task.WhenAll(_connections.Keys.Select(c => c.Completion)).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
    }
}
