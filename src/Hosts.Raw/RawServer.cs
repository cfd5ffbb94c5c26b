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
        Application = application;
        Options = options;
        Logger = options.LoggerFactory.CreateLogger("HostKit." + RawHost.HostName);
        _listeners = listeners;
        Addresses = addresses;
        _acceptLoops = [.. listeners.Select(AcceptLoopAsync)];
    }

    public Application Application { get; }

    public ServerOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>The open websockets, closed with 1001 when the server stops.</summary>
    public WebSocketTracker WebSockets { get; } = new();

    public IReadOnlyList<Uri> Addresses { get; }

    private bool IsStopping => _stopping is not null;

    public void Forget(HttpConnection connection) => _connections.TryRemove(connection, out _);

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
            return _stopping ??= StopCoreAsync(cancellationToken);
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
            var connection = new HttpConnection(socket, this);
            _connections.TryAdd(connection, 0);
            connection.Start();
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var listener in _listeners)
            listener.Dispose();
        await Task.WhenAll(_acceptLoops);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ShutdownTimeout);
        try
        {
            await WebSockets.CloseAllAsync(timeout.Token);
            foreach (var connection in _connections.Keys)
                connection.RequestStop();
            await Task.WhenAll(_connections.Keys.Select(c => c.Completion)).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Requests still running after the grace period are dropped.
        }
        finally
        {
            foreach (var connection in _connections.Keys)
                connection.Abort();
        }
    }
}
