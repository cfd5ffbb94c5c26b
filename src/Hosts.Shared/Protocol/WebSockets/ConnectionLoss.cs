using System.Net.WebSockets;

namespace HostKit.Hosts.Protocol;

/// <summary>How the engine reports a connection that is gone (or one the session gave up on): the session turns these into 1006 and null, never into a log entry.</summary>
internal static class ConnectionLoss
{
    public static bool Is(Exception exception) =>
        exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or WebSocketClosedException;
}
