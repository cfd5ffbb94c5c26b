using System.Net.WebSockets;
using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// The websocket upgrade of a host that owns its connection: it writes the 101 itself (through
/// <paramref name="switchProtocols"/>, usually <c>Http1Pipes.SwitchProtocolsAsync</c>) and frames
/// the stream it gets back with <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>.
/// </summary>
/// <param name="key">The client's <c>Sec-WebSocket-Key</c>, already validated.</param>
/// <param name="requestedSubProtocols">The subprotocols the client offered.</param>
/// <param name="head">The request's response head.</param>
/// <param name="runtime">The server.</param>
/// <param name="switchProtocols">Sends the 101 it is given and returns the connection as a stream.</param>
public sealed class StreamWebSocketUpgrade(string key, IReadOnlyList<string> requestedSubProtocols, ResponseHead head, HostRuntime runtime,
    Func<byte[], ValueTask<Stream>> switchProtocols) : HostWebSocketUpgrade(requestedSubProtocols, head, runtime)
{
    // Dropped once used: it is the host's connection, which the application's environ (holding this upgrade for the
    // websocket's life) would otherwise keep alive with all its HTTP state.
    private Func<byte[], ValueTask<Stream>>? _switchProtocols = switchProtocols ?? throw new ArgumentNullException(nameof(switchProtocols));

    /// <inheritdoc />
    protected override async ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        var switchProtocols = _switchProtocols ?? throw new InvalidOperationException("The handshake has already been done.");
        _switchProtocols = null;
        return CreateFromStream(await switchProtocols(WebSocketHandshake.SwitchingProtocols(key, subProtocol, Compression?.ResponseHeader)), subProtocol);
    }
}
