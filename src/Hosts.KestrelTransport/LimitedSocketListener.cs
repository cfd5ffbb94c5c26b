using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace HostKit.Hosts.KestrelTransport;

/// <summary>
/// A listening socket as Kestrel asks for connections, accepted the host kit's way: through <see cref="AcceptLoop"/>
/// (which waits out a want of descriptors where Kestrel's own listener retries at once), each connection counted
/// against the limit as it is accepted (<see cref="ConnectionSet{TConnection}.TryAdmit"/>) and, over it, refused at once
/// (<see cref="ConnectionRefusal"/>) before the next accept. Admitted ones become Kestrel's socket connections.
/// </summary>
internal sealed class LimitedSocketListener(Socket socket, SocketConnectionContextFactory connections, HttpConnectionHandler handler, HostRuntime runtime)
    : IConnectionListener
{
    private volatile bool _unbound;

    public EndPoint EndPoint => socket.LocalEndPoint!;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            while (await AcceptLoop.AcceptAsync(() => socket.AcceptAsync(cancellationToken), runtime) is { } accepted)
            {
                if (handler.Connections.TryAdmit())
                {
                    if (accepted.AddressFamily != AddressFamily.Unix)
                        accepted.NoDelay = true; // TCP's; a unix socket has no Nagle to turn off
                    return connections.Create(accepted); // the admission ends in the handler, once the connection is added
                }
                ConnectionRefusal.Refuse(accepted, RequestRejection.TooManyConnections, runtime);
            }
            return null;
        }
        catch (Exception ex) when (_unbound && ex is ObjectDisposedException or SocketException or OperationCanceledException)
        {
            return null; // unbound before the server stopping (a start that failed on a later address): done
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound = true;
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _unbound = true;
        socket.Dispose();
        connections.Dispose();
        return ValueTask.CompletedTask;
    }
}
