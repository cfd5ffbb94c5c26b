using System.Net;
using System.Net.Sockets;

namespace HostKit.Bench.Servers;

/// <summary>Picks a free loopback port for a server that must be told its port (the baselines take no port 0).</summary>
internal static class FreePort
{
    public static int Pick()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
