using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.KestrelTransport;

/// <summary>
/// Kestrel's socket transport with the host kit's accept (<see cref="LimitedSocketListener"/>): each address bound by
/// the host kit (<see cref="ListenAddress.Listen"/>, the same rules and errors as every host, SO_REUSEPORT when asked, a unix
/// socket's file handled by <see cref="UnixSocketFile"/>).
/// </summary>
internal sealed class LimitedSocketTransport(HttpConnectionHandler handler, HostRuntime runtime, string hostName) : IConnectionListenerFactory
{
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var url = endpoint is UnixDomainSocketEndPoint unix ? ListenAddress.UnixSocket(unix.ToString()) : new Uri($"http://{endpoint}");
        var socket = ListenAddress.Listen(url, hostName, runtime.Options.ReusePort);
        var connections = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(),
            runtime.Options.LoggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        return ValueTask.FromResult<IConnectionListener>(new LimitedSocketListener(socket, connections, handler, runtime));
    }
}
