using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Raw;

/// <summary>
/// A running Raw server: its listening sockets, accept loops and open connections. Each connection is the host kit's
/// request loop (<see cref="Http1PipeConnection"/>) over the socket's pipes; an accepted websocket is handed off to the
/// kit's small websocket connection, so that an idle one holds no HTTP machinery.
/// </summary>
internal sealed class RawServer : IRunningServer
{
    /// <summary>
    /// The input waits for data with a zero-byte read and only then rents a buffer, so an idle keep-alive connection holds
    /// none; the buffer is 16 KiB, so a request head with a 4 KiB body arrives in one read (with 4 KiB, the pipe's default,
    /// its body came in two, and a streamed echo went out in two writes).
    /// </summary>
    private static readonly StreamPipeReaderOptions InputOptions = new(bufferSize: 16 * 1024, useZeroByteReads: true);

    private readonly List<Socket> _listeners;
    private readonly Lock _stopGate = new();
    private Task? _stopping;

    public RawServer(Application application, ServerOptions options, List<(Socket Socket, TlsOptions? Tls)> listeners, IReadOnlyList<Uri> addresses)
    {
        Runtime = new HostRuntime(RawHost.HostName, application, options);
        Connections = new ConnectionSet<IHostConnection>(Runtime);
        _listeners = [.. listeners.Select(l => l.Socket)];
        Addresses = addresses;
        foreach (var (listener, tls) in listeners)
            _ = AcceptLoop.RunAsync(() => listener.AcceptAsync(CancellationToken.None), socket => Serve(socket, tls), Runtime); // the ValueTask overload: no Task per connection
    }

    /// <summary>The server as the host kit sees it: application, options, logger, activity, metrics.</summary>
    public HostRuntime Runtime { get; }

    public ILogger Logger => Runtime.Logger;

    /// <summary>The open connections: HTTP ones, and websockets that took their place.</summary>
    public ConnectionSet<IHostConnection> Connections { get; }

    public IReadOnlyList<Uri> Addresses { get; }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
            return _stopping ??= GracefulStop.RunAsync(Runtime, () => _listeners.ForEach(l => l.Dispose()), Connections, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Serve(Socket socket, TlsOptions? tls)
    {
        if (socket.AddressFamily != AddressFamily.Unix)
            socket.NoDelay = true; // TCP's; a unix socket has no Nagle to turn off
        if (Connections.IsFull)
        {
            ConnectionRefusal.Refuse(socket, RequestRejection.TooManyConnections, Runtime);
            return;
        }
        var connection = Open(socket, tls);
        Connections.Add(connection); // before Start: a websocket handed off replaces a connection already in the set
        connection.Start();
    }

    /// <summary>
    /// The connection on <paramref name="socket"/>: the kit's pipes over the kit's <see cref="SocketStream"/> (a write is a
    /// non-blocking send, and only what the kernel cannot take at once waits), with TLS over it on an https:// address.
    /// </summary>
    internal Http1PipeConnection Open(Socket socket, TlsOptions? tls)
    {
        var (local, remote) = (socket.LocalEndPoint!, socket.RemoteEndPoint!);
        var stream = TlsHandshake.Wrap(new SocketStream(socket), tls);
        return new Http1PipeConnection(new SocketPipeTransport(socket, stream, InputOptions), Runtime, local, remote, isTls: tls is not null)
        {
            Opening = aborted => TlsHandshake.AuthenticateAsync(stream, tls, Runtime, remote, aborted),
            Closed = () =>
            {
                socket.Dispose();
                if (tls is not null)
                    stream.Dispose(); // the TLS state; after the socket, whose close (a reset after Abort) stays as it was
                return ValueTask.CompletedTask;
            },
            WebSocketHandOff = Connections,
        };
    }
}
