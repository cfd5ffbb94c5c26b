using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// Kestrel's open connections, upgraded or not, held to the host kit's <see cref="HostRuntime.ConnectionLimit"/>: a
/// connection is counted when it is accepted (<see cref="LimitedSocketListener"/>), and counted closed, and reported
/// to the host kit's metrics under the same names as every host, by the connection middleware <see cref="Count"/>.
/// </summary>
internal sealed class ConnectionCounter(HostRuntime runtime)
{
    private long _open;

    /// <summary>Counts one more connection when the limit admits it; false means refuse it.</summary>
    public bool TryOpen()
    {
        if (runtime.ConnectionLimit.Admits(Interlocked.Increment(ref _open) - 1))
            return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    /// <summary>The connection middleware that reports each admitted connection and counts it closed at its end.</summary>
    public ConnectionDelegate Count(ConnectionDelegate next) => async connection =>
    {
        runtime.Metrics.ConnectionOpened();
        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            runtime.Metrics.ConnectionClosed();
        }
    };
}
