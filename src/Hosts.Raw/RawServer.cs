using System.Net.Sockets;
using HostKit.Hosts.Raw.Connection;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Raw;

/// <summary>A running Raw server: its listening sockets, accept loops and open connections.</summary>
internal sealed class RawServer : IRunningServer
{
    private readonly List<Socket> _listeners;
    private readonly Lock _stopGate = new();
    private readonly Timer _heartbeat;
    private Task? _stopping;

    public RawServer(Application application, ServerOptions options, List<(Socket Socket, TlsOptions? Tls)> listeners, IReadOnlyList<Uri> addresses)
    {
        Runtime = new HostRuntime(RawHost.HostName, application, options);
        Connections = new ConnectionSet<IRawConnection>(Runtime);
        _listeners = [.. listeners.Select(l => l.Socket)];
        Addresses = addresses;
        var beat = HeadDeadline.HeartbeatPeriod(options.Limits);
        _heartbeat = new Timer(static server => ((RawServer)server!).Beat(), this, beat, beat);
        foreach (var (listener, tls) in listeners)
            _ = AcceptLoop.RunAsync(() => listener.AcceptAsync(CancellationToken.None), socket => Serve(socket, tls), Runtime); // the ValueTask overload: no Task per connection
    }

    /// <summary>The server as the host kit sees it: application, options, logger, activity, metrics.</summary>
    public HostRuntime Runtime { get; }

    public ServerOptions Options => Runtime.Options;

    public ILogger Logger => Runtime.Logger;

    /// <summary>The open connections: HTTP ones (<see cref="HttpConnection"/>), and websockets that took their place (<see cref="WebSocketConnection"/>).</summary>
    public ConnectionSet<IRawConnection> Connections { get; }

    public IReadOnlyList<Uri> Addresses { get; }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
            return _stopping ??= RunStopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RunStopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GracefulStop.RunAsync(Runtime, () => _listeners.ForEach(l => l.Dispose()), Connections, cancellationToken);
        }
        finally
        {
            await _heartbeat.DisposeAsync();
        }
    }

    private void Beat()
    {
        var now = Environment.TickCount64;
        Connections.ForEach(connection => connection.OnHeartbeat(now));
    }

    private void Serve(Socket socket, TlsOptions? tls)
    {
        if (socket.AddressFamily != AddressFamily.Unix)
            socket.NoDelay = true; // TCP's; a unix socket has no Nagle to turn off
        if (Connections.IsFull)
        {
            ConnectionRefusal.Refuse(socket, RequestRejection.TooManyConnections, Runtime);
            return;
        }
        var connection = new HttpConnection(socket, this, tls);
        Connections.Add(connection);
        connection.Start();
    }
}
