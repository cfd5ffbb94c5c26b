using System.Net;
using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.Kestrel;

/// <summary>
/// A Kestrel listener that refuses connections over the connection limit in the accept loop itself: answered 503 and
/// closed before the next accept, so a flood of connections never holds more descriptors than the limit allows. (A
/// connection middleware, Kestrel's own limit included, runs only after Kestrel has queued the connection to the
/// thread pool, and a busy process accepts hundreds before it refuses the first: measured, that ran the runtime out
/// of descriptors.)
/// </summary>
internal sealed class LimitedConnectionListener(IConnectionListener inner, ConnectionCounter counter, HostRuntime runtime) : IConnectionListener
{
    public EndPoint EndPoint => inner.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var connection = await inner.AcceptAsync(cancellationToken);
            if (connection is null || counter.TryOpen())
                return connection;
            await RefuseAsync(connection);
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Writes the 503 and closes the connection at once, without waiting for the client.</summary>
    private async Task RefuseAsync(ConnectionContext connection)
    {
        runtime.Rejected(RequestRejection.TooManyConnections);
        try
        {
            ResponseHeadWriter.WriteRejection(connection.Transport.Output, RequestRejection.TooManyConnections);
            await connection.Transport.Output.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or InvalidOperationException)
        {
            // The client left first: nothing to answer.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
