using System.Net.WebSockets;
using HostKit.Demo;
using HostKit.Testing;
using HostKit.Tests.Support;

namespace HostKit.Tests.Demo;

/// <summary>The Demo protocol (DESIGN.md), checked in memory: no socket adds anything here.</summary>
public class DemoAppTests
{
    [Fact]
    public async Task Plaintext_json_and_echo_follow_the_protocol()
    {
        await using var client = new TestClient(DemoApp.Create());

        var plaintext = await client.GetAsync("/plaintext");
        Assert.Equal((200, "text/plain", "Hello, World!"), (plaintext.Status, plaintext.Header("Content-Type"), plaintext.Text));

        var json = await client.GetAsync("/json");
        Assert.Equal((200, "application/json", """{"message":"Hello, World!"}"""), (json.Status, json.Header("Content-Type"), json.Text));

        var echo = await client.PostAsync("/echo", "some text", "text/x-demo");
        Assert.Equal((200, "text/x-demo", "some text"), (echo.Status, echo.Header("Content-Type"), echo.Text));

        var untyped = await client.SendAsync("POST", "/echo", [1, 2, 3]);
        Assert.Equal("application/octet-stream", untyped.Header("Content-Type"));
        Assert.Equal(new byte[] { 1, 2, 3 }, untyped.Body);
    }

    [Theory]
    [InlineData("GET", "/nowhere", 404)]
    [InlineData("GET", "/chat.js", 404)]
    [InlineData("POST", "/", 405)]
    [InlineData("GET", "/ws/chat?room=r&name=n", 426)]
    [InlineData("POST", "/plaintext", 405)]
    [InlineData("GET", "/echo", 405)]
    [InlineData("GET", "/ws/echo", 426)]
    public async Task Other_requests_get_the_documented_status(string method, string target, int status)
    {
        await using var client = new TestClient(DemoApp.Create());
        var response = await client.SendAsync(method, target);
        Assert.Equal(status, response.Status);
        if (status == 426)
            Assert.Contains("websocket", response.Text, StringComparison.Ordinal);
        if (status == 405)
            Assert.NotNull(response.Header("Allow"));
    }

    [Fact]
    public async Task Websocket_echo_returns_text_and_binary_as_sent()
    {
        await using var client = new TestClient(DemoApp.Create());
        using var socket = await client.ConnectWebSocketAsync("/ws/echo");
        await socket.SendTextAsync("héllo");
        Assert.Equal("héllo", await socket.ReceiveTextAsync());
        await socket.SendAsync(new byte[] { 0, 255, 7 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var (type, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 0, 255, 7 }, data);
    }

    [Fact]
    public async Task The_root_is_the_chat_page_naming_its_host_with_its_script_inline()
    {
        await using var client = new TestClient(DemoApp.Create());
        var page = await client.GetAsync("/");
        Assert.Equal((200, "text/html; charset=utf-8"), (page.Status, page.Header("Content-Type")));
        Assert.Contains("""<meta name="hostkit-host" content="memory">""", page.Text, StringComparison.Ordinal);
        Assert.Contains("new WebSocket(url)", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", page.Text, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none'; script-src 'sha256-", page.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chat_is_at_ws_chat()
    {
        await using var client = new TestClient(DemoApp.Create());
        using var socket = await client.ConnectWebSocketAsync("/ws/chat?room=a&name=b");
        var join = HostKit.Tests.Chat.ReceivedEvent.Parse(await socket.ReceiveTextAsync());
        Assert.Equal(("join", "a", "b", 1L), (join.Type, join.Room!, join.Name!, join.Id!.Value));
    }
}
