using System.Net.Sockets;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// Lets several processes listen on one address (<see cref="ServerOptions.ReusePort"/>, the runner's <c>--workers</c>):
/// Linux's <c>SO_REUSEPORT</c>, with which the kernel spreads new connections over every listening socket of the group.
/// </summary>
public static class SharedPort
{
    // .NET names no socket option for SO_REUSEPORT on Linux (SocketOptionName.ReuseAddress is SO_REUSEADDR, which lets
    // a port in TIME_WAIT be bound again but not two listeners share it), so it is set by its number from <asm/socket.h>.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>True where <see cref="Allow"/> works: Linux.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Marks <paramref name="socket"/>, before it is bound, as one of several listening on the same address.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static void Allow(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!IsSupported)
            throw new PlatformNotSupportedException("Several processes on one port (SO_REUSEPORT) is supported on Linux only.");
        socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
    }
}
