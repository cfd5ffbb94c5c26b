using System.Net;
using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.KestrelTransport;

/// <summary>Kestrel's handler for each accepted connection: the host kit's HTTP/1.1 connection over its pipes, until it closes.</summary>
internal sealed class HttpConnectionHandler(HostRuntime runtime) : ConnectionHandler
{
    /// <summary>The open connections, for the connection limit and the host kit's stop order.</summary>
    public ConnectionSet<Http1PipeConnection> Connections { get; } = new(runtime);

    /// <summary>Serves <paramref name="connection"/>, admitted when it was accepted (<see cref="LimitedSocketListener"/>, by <see cref="ConnectionSet{TConnection}.TryAdmit"/>); Kestrel closes it when this returns.</summary>
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        try
        {
            // Kestrel owns the socket and its send loop: the kit gets the pipes and the abort. Completing the output (the
            // kit's lingering close) sends what waits in it, then closes: Kestrel's socket transport cannot half-close.
            var transport = new DuplexPipeTransport(connection.Transport, connection.Abort);
            var served = new Http1PipeConnection(transport, runtime, connection.LocalEndPoint!, connection.RemoteEndPoint!);
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
