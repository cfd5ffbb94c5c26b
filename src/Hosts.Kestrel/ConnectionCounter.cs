using HostKit.Hosts.Http1;
using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// A Kestrel connection middleware that holds every connection, upgraded or not, to the host kit's
/// <see cref="HostRuntime.ConnectionLimit"/>, and reports connections to the host kit's metrics under the same
/// names as every host. One over the limit is answered 503 and closed at once, giving its descriptor back.
/// </summary>
internal sealed class ConnectionCounter(HostRuntime runtime)
{
    private long _open;

    public ConnectionDelegate Count(ConnectionDelegate next) => async connection =>
    {
        if (!runtime.ConnectionLimit.Admits(Interlocked.Increment(ref _open) - 1))
        {
            Interlocked.Decrement(ref _open);
            await RefuseAsync(connection);
            return;
        }
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

    /// <summary>Writes the 503 and returns: Kestrel then closes the connection, without waiting for the client.</summary>
    private async Task RefuseAsync(ConnectionContext connection)
    {
        runtime.Rejected(RequestRejection.TooManyConnections);
        try
        {
            ResponseHeadWriter.WriteRejection(connection.Transport.Output, RequestRejection.TooManyConnections);
            await connection.Transport.Output.FlushAsync(connection.ConnectionClosed);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException)
        {
            // The client left first: nothing to answer.
        }
    }
}
