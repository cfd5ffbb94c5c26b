using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace HostKit.Hosts.KestrelTransport;

/// <summary>A Kestrel connection as the host kit's transport: the pipes Kestrel hands over, and its two ways to end.</summary>
internal sealed class KestrelPipeTransport(ConnectionContext connection) : IPipeTransport
{
    public PipeReader Input => connection.Transport.Input;

    public PipeWriter Output => connection.Transport.Output;

    /// <summary>Kestrel's socket transport cannot half-close: completing the output sends what waits in it, then closes the connection.</summary>
    public async ValueTask CloseOutputAsync() => await Output.CompleteAsync();

    public void Abort() => connection.Abort();
}
