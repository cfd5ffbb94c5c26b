using System.Net;
using System.Net.Sockets;
using HostKit.Hosts;

namespace HostKit.Samples.MinimalHost;

/// <summary>A running minimal host: accept loops, the open connections, and the host kit's stop order.</summary>
internal sealed class MinimalServer : IRunningServer
{
    private readonly HostRuntime _runtime;
    private readonly List<(Uri Url, Socket Socket, TlsOptions? Tls)> _listeners;
    private readonly ConnectionSet<Http1PipeConnection> _connections;
    private Task? _stopping;

    public MinimalServer(HostRuntime runtime, List<(Uri Url, Socket Socket, TlsOptions? Tls)> listeners)
    {
        (_runtime, _listeners) = (runtime, listeners);
        _connections = new ConnectionSet<Http1PipeConnection>(runtime);
        Addresses = [.. listeners.Select(l => ListenAddress.Bound(l.Url, l.Socket))];
        // Step 3: accept connections, and run each on its own task. The host kit's accept loop outlives a failed accept,
        // waits out a want of file descriptors, and ends when the server stops and closes its listeners.
        listeners.ForEach(l => _ = AcceptLoop.RunAsync(() => l.Socket.AcceptAsync(CancellationToken.None), socket => Serve(socket, l.Tls), runtime));
    }

    public IReadOnlyList<Uri> Addresses { get; }

    private void Serve(Socket socket, TlsOptions? tls)
    {
        var connection = Open(socket, tls);
        connection.Start();
        _connections.Add(connection); // after Start: the set follows the connection's run to its end
    }

    // Step 4: a connection is the socket's stream (with TLS over it on an https:// address) read and written through the
    // host kit's pipes, and the host kit's HTTP/1.1 over them; the host ends the stream when the connection is done.
    private Http1PipeConnection Open(Socket socket, TlsOptions? tls)
    {
        var (local, remote) = (socket.LocalEndPoint!, socket.RemoteEndPoint!);
        var stream = TlsHandshake.Wrap(new NetworkStream(socket, ownsSocket: true), tls);
        return new Http1PipeConnection(new SocketPipeTransport(socket, stream), _runtime, local, remote, isTls: tls is not null)
        {
            Opening = aborted => TlsHandshake.AuthenticateAsync(stream, tls, _runtime, remote, aborted),
            Closed = stream.DisposeAsync,
        };
    }

    // Step 6: stop the way every host stops: the host kit's GracefulStop decides the order.
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        _stopping ??= GracefulStop.RunAsync(_runtime, () => _listeners.ForEach(l => l.Socket.Dispose()), _connections, cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync();
}
