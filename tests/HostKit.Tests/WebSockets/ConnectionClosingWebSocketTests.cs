using System.Net.WebSockets;

namespace HostKit.Tests.WebSockets;

/// <summary>
/// An engine's websocket that does not own its connection (HttpListener's), as the kit wraps it
/// (<see cref="HostWebSocketUpgrade"/>'s <c>ClosingConnection</c>): an abort or a dispose also drops the connection,
/// and everything else is the engine's websocket's.
/// </summary>
public class ConnectionClosingWebSocketTests
{
    [Fact]
    public void Aborting_the_websocket_drops_the_connection()
    {
        var (socket, closes) = Wrapped();
        socket.Abort();
        Assert.Equal(1, closes());
        Assert.Equal(WebSocketState.Aborted, socket.State);
    }

    [Fact]
    public void Disposing_the_websocket_drops_the_connection()
    {
        var (socket, closes) = Wrapped();
        socket.Dispose();
        Assert.Equal(1, closes());
    }

    [Fact]
    public async Task A_message_goes_through_to_the_engine_websocket_and_the_connection_stays()
    {
        using var wire = new MemoryStream();
        var closes = 0;
        using var socket = new ConnectionClosingWebSocket(WebSocket.CreateFromStream(wire, isServer: true, subProtocol: "chat", TimeSpan.Zero), () => closes++);
        await socket.SendAsync("hi"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        Assert.Equal(new byte[] { 0x81, 0x02, (byte)'h', (byte)'i' }, wire.ToArray());
        Assert.Equal("chat", socket.SubProtocol);
        Assert.Equal(0, closes);
    }

    private static (WebSocket Socket, Func<int> Closes) Wrapped()
    {
        var closes = 0;
        var engine = WebSocket.CreateFromStream(new MemoryStream(), isServer: true, subProtocol: null, TimeSpan.Zero);
        return (new ConnectionClosingWebSocket(engine, () => closes++), () => closes);
    }
}
