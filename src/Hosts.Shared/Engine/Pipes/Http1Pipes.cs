using System.IO.Pipelines;
using HostKit.Hosts.Protocol;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// The I/O around <see cref="Http1Protocol"/> for a host that reads and writes its connection through
/// pipes: draining an unread body, watching for a client that leaves, offering and switching to a websocket. The kit's
/// request loop (<see cref="Http1PipeConnection"/>) calls them, and reads heads itself, within their deadline.
/// </summary>
public static class Http1Pipes
{
    /// <summary>While <paramref name="protocol"/> is <see cref="Http1Phase.Draining"/>, reads and drops the rest of the request body.</summary>
    public static async ValueTask DrainAsync(PipeReader input, Http1Protocol protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(protocol);
        while (protocol.Phase == Http1Phase.Draining)
        {
            var read = await input.ReadAsync(cancellationToken);
            protocol.Drain(read.Buffer, read.IsCompleted, out var consumed, out var examined);
            input.AdvanceTo(consumed, examined);
        }
    }

    /// <summary>
    /// Reads <paramref name="input"/> while the application runs and its request body is all read, so that a client that
    /// leaves fires <see cref="Environ.RequestAborted"/> (<paramref name="aborted"/> is cancelled): the end of input with
    /// nothing more sent means it went away. Bytes (a pipelined request) are left in the pipe, unexamined, for the next
    /// read; the host ends the watch with <see cref="PipeReader.CancelPendingRead"/> when the application is done first.
    /// </summary>
    public static async Task WatchForDisconnectAsync(PipeReader input, CancellationTokenSource aborted)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(aborted);
        try
        {
            var result = await input.ReadAsync();
            var gone = result.IsCompleted && result.Buffer.IsEmpty;
            input.AdvanceTo(result.Buffer.Start, result.Buffer.Start);
            if (gone)
                await aborted.CancelAsync();
        }
        catch (Exception ex) when (ConnectionLoss.IsClientGone(ex))
        {
            await aborted.CancelAsync();
        }
    }

    /// <summary>
    /// The websocket offer step for the request <paramref name="protocol"/> just read (<see cref="WebSocketOffer.For"/>): nothing
    /// unless it asks to upgrade (<see cref="RequestHead.WantsWebSocket"/>), else the refusal of a bad handshake, or a
    /// <see cref="StreamWebSocketUpgrade"/> that answers with a 101 on <paramref name="transport"/> (<see cref="SwitchProtocolsAsync"/>).
    /// </summary>
    /// <param name="protocol">The connection's protocol state, holding the request's head.</param>
    /// <param name="transport">The connection.</param>
    /// <param name="environ">The request as the application sees it (its handshake headers are read).</param>
    /// <param name="head">The request's response head.</param>
    /// <param name="runtime">The server.</param>
    public static WebSocketOffer OfferWebSocket(Http1Protocol protocol, IPipeTransport transport, Environ environ, ResponseHead head, HostRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return WebSocketOffer.For(environ, protocol.Head.WantsWebSocket, (protocol, transport, head, runtime), static (handshake, connection) =>
            new StreamWebSocketUpgrade(handshake.Key, handshake.SubProtocols, connection.head, connection.runtime,
                switchingProtocols => SwitchProtocolsAsync(connection.protocol, connection.transport, switchingProtocols))
            {
                RequestedExtensions = handshake.Extensions,
            });
    }

    /// <summary>
    /// Switches the connection to the websocket: moves <paramref name="protocol"/> to <see cref="Http1Phase.Upgraded"/>
    /// (<see cref="Http1Protocol.Upgrade"/>: no more HTTP on it), writes and flushes the 101 <paramref name="switchingProtocols"/>,
    /// and returns the connection as a stream (<see cref="IPipeTransport.SwitchToStreamAsync"/>), the bytes already read
    /// past the handshake first. The pipes are not ended here: a transport the host does not own stays open.
    /// </summary>
    public static async ValueTask<Stream> SwitchProtocolsAsync(Http1Protocol protocol, IPipeTransport transport, byte[] switchingProtocols)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(transport);
        protocol.Upgrade();
        await transport.Output.WriteAsync(switchingProtocols);
        return await transport.SwitchToStreamAsync();
    }
}
