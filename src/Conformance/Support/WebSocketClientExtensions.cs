using System.Net.WebSockets;
using System.Text;

namespace HostKit.Conformance.Support;

public static class WebSocketClientExtensions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);

    /// <summary>Receives one whole message, or a close (Type Close, empty data).</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(this WebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        var data = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            if (result.MessageType == WebSocketMessageType.Close)
                return (WebSocketMessageType.Close, []);
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return (result.MessageType, data.ToArray());
        }
    }

    public static async Task<string> ReceiveTextAsync(this WebSocket socket)
    {
        var (type, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>
    /// The echo round trip a transport case checks (TLS, a unix socket): <paramref name="greeting"/> as text, then 256 KiB of
    /// random binary, each echoed whole, then a normal close that the server completes.
    /// </summary>
    public static async Task EchoesTextAndLargeBinaryThenClosesAsync(this WebSocket socket, string greeting)
    {
        var big = new byte[256 * 1024];
        Random.Shared.NextBytes(big);
        await socket.SendTextAsync(greeting);
        Assert.Equal(greeting, await socket.ReceiveTextAsync());
        await socket.SendAsync(big, WebSocketMessageType.Binary, true, CancellationToken.None);
        var (type, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(big, data);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    /// <summary>Reads until the server's close frame arrives; returns the socket's close status.</summary>
    public static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(this WebSocket socket)
    {
        for (var i = 0; i < 10_000; i++)
        {
            var (type, _) = await socket.ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
                return socket.CloseStatus;
        }
        throw new Xunit.Sdk.XunitException("No close frame after 10,000 messages.");
    }
}
