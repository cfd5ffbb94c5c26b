using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.Kestrel;

/// <summary>A Kestrel connection middleware that reports connections to the host kit's metrics, under the same names as every host.</summary>
internal static class ConnectionCounter
{
    public static ConnectionDelegate Count(ConnectionDelegate next, HostRuntime runtime) => async connection =>
    {
        runtime.Metrics.ConnectionOpened();
        try
        {
            await next(connection);
        }
        finally
        {
            runtime.Metrics.ConnectionClosed();
        }
    };
}
