using System.Net.WebSockets;
using HostKit.Hosts.Raw.Connection;

namespace HostKit.Hosts.Raw.WebSockets;

/// <summary>The websocket upgrade on the Raw host: writes the 101 itself and frames the socket with <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>.</summary>
internal sealed class RawUpgrade(HttpConnection connection, string key, IReadOnlyList<string> subProtocols, ResponseHead head)
    : HostWebSocketUpgrade(subProtocols, head, connection.Server.Runtime)
{
    protected override async ValueTask<WebSocket> HandshakeAsync(string? subProtocol)
    {
        var stream = await connection.SwitchProtocolsAsync(WebSocketHandshake.SwitchingProtocols(key, subProtocol));
        return CreateFromStream(stream, subProtocol);
    }
}
