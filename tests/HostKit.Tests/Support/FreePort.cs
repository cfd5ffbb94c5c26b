using System.Net;
using System.Net.Sockets;

namespace HostKit.Tests.Support;

/// <summary>A TCP port on 127.0.0.1 that nothing listens on now, for outside programs that cannot take port 0 and report back.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
