using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.KestrelSockets;

/// <summary>
/// Kestrel's socket transport with the host kit's accept (<see cref="LimitedSocketListener"/>), for both hosts over
/// Kestrel (<c>kestrel</c>, <c>kestrel-transport</c>): each address bound by the host kit (<see cref="ListenAddress.Listen"/>,
/// the same rules and errors as every host, SO_REUSEPORT when asked, a unix socket's file handled by <see cref="UnixSocketFile"/>),
/// each connection admitted by <paramref name="tryAdmit"/> (the host's count against <see cref="HostRuntime.ConnectionLimit"/>).
/// </summary>
internal sealed class LimitedSocketTransport(HostRuntime runtime, string hostName, Func<bool> tryAdmit) : IConnectionListenerFactory
{
    /// <summary>
    /// Adds <paramref name="url"/> to <paramref name="kestrel"/>'s endpoints: a unix socket's path is checked first (Kestrel
    /// refuses a long one in its own words), and every address is bound by <see cref="BindAsync"/>, not by Kestrel.
    /// </summary>
    public static void Listen(KestrelServerOptions kestrel, Uri url, string hostName, Action<ListenOptions> configure)
    {
        if (ListenAddress.IsUnixSocket(url))
        {
            UnixSocketFile.Prepare(url, hostName);
            kestrel.ListenUnixSocket(ListenAddress.UnixSocketPath(url), configure);
        }
        else
        {
            kestrel.Listen(ListenAddress.Parse(url, hostName), configure);
        }
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var url = endpoint is UnixDomainSocketEndPoint unix ? ListenAddress.UnixSocket(unix.ToString()) : new Uri($"http://{endpoint}");
        var socket = ListenAddress.Listen(url, hostName, runtime.Options.ReusePort);
        var connections = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(),
            runtime.Options.LoggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        return ValueTask.FromResult<IConnectionListener>(new LimitedSocketListener(socket, connections, tryAdmit, runtime));
    }
}
