using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace HostKit.Hosts.KestrelSockets;

/// <summary>
/// A listening socket as Kestrel asks for connections, accepted the host kit's way: through <see cref="AcceptLoop"/>
/// (which waits out a want of descriptors where Kestrel's own listener retries at once), each connection counted
/// against the limit as it is accepted (<paramref name="tryAdmit"/>) and, over it, refused at once (<see cref="ConnectionRefusal"/>)
/// before the next accept. Admitted ones become Kestrel's socket connections. (Kestrel's own limit, or a connection
/// middleware, counts a connection only after Kestrel has queued it to the thread pool: a busy process accepts hundreds
/// before it refuses the first, which once ran the runtime out of descriptors.)
/// </summary>
internal sealed class LimitedSocketListener(Socket socket, SocketConnectionContextFactory connections, Func<bool> tryAdmit, HostRuntime runtime)
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
                if (tryAdmit())
                {
                    if (accepted.AddressFamily != AddressFamily.Unix)
                        accepted.NoDelay = true; // TCP's; a unix socket has no Nagle to turn off
                    return connections.Create(accepted); // counted open from here: the host ends the admission where it serves it
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
