using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace HostKit.Engines.KestrelH2c;

/// <summary>
/// The listener of the <see cref="HandOffEndPoint"/>: it accepts the connections handed to it (already accepted, counted and
/// sniffed on a socket endpoint) so that Kestrel serves them with HTTP/2 alone.
/// </summary>
internal sealed class HandOffListener : IConnectionListener
{
    private readonly Channel<HandedOffConnection> _handed = Channel.CreateUnbounded<HandedOffConnection>(new UnboundedChannelOptions { SingleReader = true });

    public HandOffListener() => EndPoint = new HandOffEndPoint(this);

    public EndPoint EndPoint { get; }

    /// <summary>Serves <paramref name="connection"/> with HTTP/2 and returns when Kestrel is done with it, or when it closed while waiting.</summary>
    public async Task HandOverAsync(ConnectionContext connection)
    {
        var handed = new HandedOffConnection(connection);
        if (!_handed.Writer.TryWrite(handed))
            return; // the server is stopping: the socket endpoint closes the connection
        try
        {
            await handed.Finished.WaitAsync(connection.ConnectionClosed);
        }
        catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
        {
            // Aborted from the socket endpoint's side (the stop's last resort): nothing left to wait for.
        }
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _handed.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        Close();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes no more connections; those handed over and never accepted are given back to close.</summary>
    private void Close()
    {
        _handed.Writer.TryComplete();
        while (_handed.Reader.TryRead(out var orphan))
            orphan.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
