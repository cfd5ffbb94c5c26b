using System.Net.WebSockets;
using System.Text;
using HostKit.Testing;

namespace HostKitApp.Tests;

public class AppTests
{
    [Fact]
    public async Task Answers_hello_world()
    {
        await using var client = new TestClient(App.Create());

        var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(200, response.Status);
        Assert.Equal("text/plain", response.Header("Content-Type"));
        Assert.Equal("Hello, World!", response.Text);
    }

    [Fact]
    public async Task Echoes_websocket_messages()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var client = new TestClient(App.Create());
        using var socket = await client.ConnectWebSocketAsync("/ws/echo", cancellationToken: cancellation);

        await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, cancellation);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, cancellation);

        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellation);
    }
}
