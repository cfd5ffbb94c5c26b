using System.IO.Compression;
using System.Net.WebSockets;
using System.Text;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// permessage-deflate (RFC 7692) on every host that declares <see cref="HostCapabilities.WebSocketCompression"/>:
/// negotiated only when the server turns it on, invisible to the application, and no way around the message limit.
/// </summary>
public abstract class WebSocketCompressionConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSocketCompression | HostCapabilities.Network);

    public static TheoryData<string, WebSocketMessageType, int> HostsTypesAndSizes()
    {
        var data = new TheoryData<string, WebSocketMessageType, int>();
        foreach (var host in Hosts)
        {
            foreach (var type in new[] { WebSocketMessageType.Text, WebSocketMessageType.Binary })
            {
                foreach (var size in new[] { 0, 125, 65_536, 1024 * 1024 })
                    data.Add(host, type, size);
            }
        }
        return data;
    }

    [HostTheory, MemberData(nameof(HostsTypesAndSizes))]
    public async Task A_compressed_websocket_echoes_each_message_unchanged(string host, WebSocketMessageType type, int size)
    {
        await using var server = await StartAsync(host, compression: true);
        using var socket = await ConnectAsync(server, offerCompression: true);
        Assert.Equal(NoContextTakeover, Extensions(socket));
        var payload = new byte[size];
        if (type == WebSocketMessageType.Text)
        {
            var chatLike = "{\"type\":\"message\",\"room\":\"lobby\",\"text\":\"hello\"}"u8;
            for (var i = 0; i < size; i++)
                payload[i] = chatLike[i % chatLike.Length];
        }
        else
            new Random(size).NextBytes(payload);
        for (var round = 0; round < 2; round++)
        {
            // Twice: without context takeover the second message must not lean on the first one's window.
            await socket.SendAsync(payload, type, true, CancellationToken.None).WaitAsync(Timeout);
            var (receivedType, data) = await socket.ReceiveMessageAsync();
            Assert.Equal(type, receivedType);
            Assert.Equal(payload, data);
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Compression_is_off_unless_the_server_turns_it_on(string host)
    {
        await using var server = await StartAsync(host, compression: false);
        using var socket = await ConnectAsync(server, offerCompression: true);
        Assert.Null(Extensions(socket));
        await socket.SendTextAsync("plain");
        Assert.Equal("plain", await socket.ReceiveTextAsync());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_client_that_does_not_offer_it_gets_an_uncompressed_websocket(string host)
    {
        await using var server = await StartAsync(host, compression: true);
        using var socket = await ConnectAsync(server, offerCompression: false);
        Assert.Null(Extensions(socket));
        await socket.SendTextAsync("plain");
        Assert.Equal("plain", await socket.ReceiveTextAsync());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_compression_bomb_is_closed_with_1009(string host)
    {
        const int limit = 64 * 1024;
        await using var server = await StartAsync(host, compression: true, maxMessageBytes: limit);
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate", client.ResponseHead, StringComparison.Ordinal);

        // 16 MiB of zeros deflate to about 16 KiB: a small frame that inflates to 256 times the limit.
        var bomb = Deflate(new byte[16 * 1024 * 1024]);
        Assert.True(bomb.Length < limit / 2, $"the bomb is {bomb.Length} bytes on the wire");
        await client.SendFrameAsync(0x2, bomb, compressed: true);

        var (_, opcode, payload) = await client.ReadFrameAsync();
        Assert.Equal(0x8, opcode);
        Assert.Equal(1009, (payload[0] << 8) | payload[1]);
    }

    private static string NoContextTakeover => "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    private static Task<ServerUnderTest> StartAsync(string host, bool compression, int maxMessageBytes = 4 * 1024 * 1024) =>
        ServerUnderTest.StartAsync(host, o => o with { WebSockets = o.WebSockets with { Compression = compression, MaxMessageBytes = maxMessageBytes } });

    private static async Task<ClientWebSocket> ConnectAsync(ServerUnderTest server, bool offerCompression)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (offerCompression)
            socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await socket.ConnectAsync(new Uri(new UriBuilder(server.Address) { Scheme = "ws" }.Uri, "/ws/echo"), CancellationToken.None).WaitAsync(Timeout);
        return socket;
    }

    private static string? Extensions(ClientWebSocket socket) =>
        socket.HttpResponseHeaders is { } headers && headers.TryGetValue("Sec-WebSocket-Extensions", out var values) ? string.Join(", ", values) : null;

    /// <summary>A message as RFC 7692 section 7.2.1 sends it: raw DEFLATE ended by a sync flush, without the flush's 00 00 FF FF tail.</summary>
    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        deflate.Write(data);
        deflate.Flush(); // Z_SYNC_FLUSH
        return output.ToArray()[..^4];
    }
}
