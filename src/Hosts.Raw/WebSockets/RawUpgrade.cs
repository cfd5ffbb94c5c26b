using System.Text;
using HostKit.Hosts.Raw.Connection;

namespace HostKit.Hosts.Raw.WebSockets;

/// <summary>The websocket upgrade on the Raw host: writes the 101 itself and gives the socket to <see cref="WebSocketSession"/>.</summary>
internal sealed class RawUpgrade(HttpConnection connection, string key, IReadOnlyList<string> subProtocols) : WebSocketUpgrade
{
    public WebSocketSession? Session { get; private set; }

    public override IReadOnlyList<string> RequestedSubProtocols => subProtocols;

    protected override async ValueTask<IWebSocket> AcceptCoreAsync(string? subProtocol)
    {
        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(WebSocketHandshake.AcceptKey(key)).Append("\r\n");
        if (subProtocol is not null)
            response.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        response.Append("\r\n");
        var stream = await connection.SwitchProtocolsAsync(Encoding.ASCII.GetBytes(response.ToString()));
        Session = connection.Server.CreateWebSocket(stream, subProtocol);
        return Session;
    }
}
