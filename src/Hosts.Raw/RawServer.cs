using System.Net.Sockets;
using HostKit.Hosts.Raw.Connection;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Raw;

/// <summary>A running Raw server: its listening sockets, accept loops and open connections.</summary>
internal sealed class RawServer : IRunningServer
{
    private readonly List<Socket> _listeners;
    private readonly ConnectionSet<IHostConnection> _connections;
    private readonly Lock _stopGate = new();
    private Task? _stopping;

    public RawServer(Application application, ServerOptions options, List<Socket> listeners, IReadOnlyList<Uri> addresses)
    {
        Runtime = new HostRuntime(RawHost.HostName, application, options);
        _connections = new ConnectionSet<IHostConnection>(Runtime);
        _listeners = listeners;
        Addresses = addresses;
        foreach (var listener in listeners)
            _ = AcceptLoopAsync(listener);
    }

    /// <summary>The server as the host kit sees it: application, options, logger, activity, metrics.</summary>
    public HostRuntime Runtime { get; }

    public ServerOptions Options => Runtime.Options;

    public ILogger Logger => Runtime.Logger;

    /// <summary>The open connections: HTTP ones (<see cref="HttpConnection"/>), and websockets that took their place (<see cref="WebSocketConnection"/>).</summary>
    public ConnectionSet<IHostConnection> Connections => _connections;

    public IReadOnlyList<Uri> Addresses { get; }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
            return _stopping ??= GracefulStop.RunAsync(Runtime, () => _listeners.ForEach(l => l.Dispose()), _connections, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(CancellationToken.None); // the ValueTask overload: no Task per connection
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && Runtime.Activity.IsStopping)
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
            if (_connections.IsFull)
            {
                _ = ConnectionRefusal.RefuseAsync(socket, RequestRejection.TooManyConnections, Runtime);
                continue;
            }
            var connection = new HttpConnection(socket, this);
            _connections.Add(connection);
            connection.Start();
        }
    }
}
