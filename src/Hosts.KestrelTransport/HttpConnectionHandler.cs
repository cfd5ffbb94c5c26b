using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.KestrelTransport;

/// <summary>Kestrel's handler for each accepted connection: HostKit's HTTP/1.1 over the connection's pipes, until it closes.</summary>
internal sealed class HttpConnectionHandler(HostRuntime runtime) : ConnectionHandler
{
    /// <summary>The open connections, for the connection limit and the host kit's stop order.</summary>
    public ConnectionSet<TransportConnection> Connections { get; } = new(runtime);

    /// <summary>Serves <paramref name="connection"/>, admitted when it was accepted (<see cref="LimitedSocketListener"/>); Kestrel closes it when this returns.</summary>
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        try
        {
            var served = new TransportConnection(connection, runtime);
            served.Start();
            Connections.Add(served); // after Start: the set follows the connection's run to its end
            return served.Completion;
        }
        finally
        {
            Connections.EndAdmission(); // counted as open now (or never will be)
        }
    }
}
