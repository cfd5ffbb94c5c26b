using System.Net.Sockets;
using System.Net.WebSockets;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The one rule for "the client went away": what a connection's I/O throws when the peer left, reset the connection, or
/// the server dropped it. Such an exception ends the connection quietly (nothing to answer, nothing to log); any other is a
/// fault worth a log line.
/// </summary>
public static class ConnectionLoss
{
    /// <summary>
    /// True when <paramref name="exception"/> means the connection is gone rather than that something failed: a socket or
    /// stream error (<see cref="IOException"/>, <see cref="SocketException"/>), an I/O cancelled by an abort or a stop
    /// (<see cref="OperationCanceledException"/>; Kestrel's <c>ConnectionAbortedException</c> is one), or a transport
    /// already closed (<see cref="ObjectDisposedException"/>).
    /// </summary>
    public static bool IsClientGone(Exception exception) =>
        exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    /// <summary>The same for a websocket: the engine reports a lost peer as a <see cref="WebSocketException"/> too, and the session as <see cref="WebSocketClosedException"/>. The session turns these into 1006 and null, never into a log entry.</summary>
    internal static bool Is(Exception exception) =>
        IsClientGone(exception) || exception is WebSocketException or WebSocketClosedException;
}
