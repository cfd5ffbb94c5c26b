using System.Net.Sockets;
using HostKit.Hosts;

namespace HostKit.Samples.MinimalHost;

/// <summary>A running minimal host: accept loops, the open connections, and the host kit's stop order.</summary>
internal sealed class MinimalServer : IRunningServer
{
    private readonly HostRuntime _runtime;
    private readonly List<(Uri Url, Socket Socket, TlsOptions? Tls)> _listeners;
    private readonly ConnectionSet<MinimalConnection> _connections;
    private Task? _stopping;

    public MinimalServer(HostRuntime runtime, List<(Uri Url, Socket Socket, TlsOptions? Tls)> listeners)
    {
        (_runtime, _listeners) = (runtime, listeners);
        _connections = new ConnectionSet<MinimalConnection>(runtime);
        Addresses = [.. listeners.Select(l => ListenAddress.Bound(l.Url, l.Socket))];
        listeners.ForEach(l => _ = AcceptAsync(l.Socket, l.Tls));
    }

    public IReadOnlyList<Uri> Addresses { get; }

    // Step 3: accept connections, and run each on its own task.
    private async Task AcceptAsync(Socket listener, TlsOptions? tls)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return; // the listener was stopped
            }
            var connection = new MinimalConnection(socket, _runtime, tls);
            connection.Start();
            _connections.Add(connection); // after Start: the set follows the connection's run to its end
        }
    }

    // Step 6: stop the way every host stops: the host kit's GracefulStop decides the order.
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        _stopping ??= GracefulStop.RunAsync(_runtime, () => _listeners.ForEach(l => l.Socket.Dispose()), _connections, cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync();
}
