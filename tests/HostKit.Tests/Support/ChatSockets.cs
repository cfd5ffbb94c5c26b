using System.Net.WebSockets;

namespace HostKit.Tests.Support;

/// <summary>Chat websockets to a server that runs in another process (a Demo node, a worker, nginx in front of nodes).</summary>
public static class ChatSockets
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<WebSocket> ConnectAsync(Uri server, string pathAndQuery)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(new Uri(new UriBuilder(server) { Scheme = "ws" }.Uri, pathAndQuery), CancellationToken.None).WaitAsync(Timeout);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A websocket handshake by hand: 101 when accepted (the connection is then dropped), else the refusal's status and body.</summary>
    public static async Task<(int Status, string Body)> UpgradeAsync(Uri server, string pathAndQuery)
    {
        await using var connection = await LoopbackConnection.OpenAsync(server);
        await connection.SendAsync($"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        var response = await connection.ReadResponseAsync(headRequest: false);
        return (response.Status, response.Text);
    }
}
