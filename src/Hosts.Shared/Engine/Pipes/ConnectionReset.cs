using System.Net.Sockets;

namespace HostKit.Hosts;

/// <summary>How a host that owns its sockets drops a connection at once.</summary>
public static class ConnectionReset
{
    /// <summary>
    /// Cancels <paramref name="aborted"/> (the requests' <see cref="Environ.RequestAborted"/>) and closes
    /// <paramref name="socket"/> with a TCP reset, so the client cannot take a cut-short response for a whole one.
    /// </summary>
    public static void Reset(Socket socket, CancellationTokenSource aborted)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(aborted);
        aborted.Cancel();
        Reset(socket);
    }

    /// <summary>Closes <paramref name="socket"/> with a TCP reset.</summary>
    public static void Reset(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing left to reset.
        }
        socket.Close();
    }
}
