using System.Net;
using System.Net.WebSockets;
using System.Text;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>What every host does with a websocket handshake the same way: the invalid ones refused before the app, the valid ones complete.</summary>
public abstract class WebSocketHandshakeConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.Network);

    public static TheoryData<string> PipeliningHosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.Network | HostCapabilities.HttpPipelining);

    public static TheoryData<string, string, int> InvalidHandshakes()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var host in NetworkHosts)
        {
            data.Add(host, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", 426);
            data.Add(host, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n", 400);
            data.Add(host, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n", 400);
            data.Add(host, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", 426);
            // Not a handshake at all (no "upgrade" in Connection): an ordinary GET, which the route answers with 426.
            data.Add(host, "Upgrade: websocket\r\nConnection: keep-alive\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", 426);
        }
        return data;
    }

    [HostTheory, MemberData(nameof(InvalidHandshakes))]
    public async Task An_invalid_handshake_is_refused_with_400_or_426_never_500(string host, string headers, int status)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"GET /ws/echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\n{headers}\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.Equal(status, response.Status);
        if (status == 426)
            Assert.Equal("13", response.Header("Sec-WebSocket-Version"));
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Offered_subprotocols_the_route_does_not_speak_give_no_subprotocol_header(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        // RFC 6455 4.1: a client must fail a handshake whose Sec-WebSocket-Protocol it did not offer (an empty one included).
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo", "Sec-WebSocket-Protocol: chat.v9, other\r\n");
        Assert.DoesNotContain("Sec-WebSocket-Protocol", client.ResponseHead, StringComparison.OrdinalIgnoreCase);
        await client.SendFrameAsync(0x1, "still works"u8.ToArray());
        Assert.Equal("still works", Encoding.UTF8.GetString((await client.ReadFrameAsync()).Payload));
    }

    [HostTheory, MemberData(nameof(PipeliningHosts))]
    public async Task A_first_frame_sent_with_the_handshake_is_answered(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo", firstFrame: RawWebSocketClient.Frame(0x1, "eager"u8.ToArray()));
        var (_, opcode, payload) = await client.ReadFrameAsync();
        Assert.Equal((0x1, "eager"), (opcode, Encoding.UTF8.GetString(payload)));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Accepting_after_starting_a_response_is_refused_and_the_response_stands(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var (socket, status) = await server.TryConnectWebSocketAsync("/start-then-accept");
        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(nameof(InvalidOperationException), await server.App.AcceptAfterStart.Task.WaitAsync(Timeout));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_body_returned_after_an_accepted_websocket_is_dropped_and_disposed(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/discard-body");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await socket.ReceiveCloseAsync());
        Assert.Equal("bye", socket.CloseStatusDescription);
        await server.App.DiscardedBodyDisposed.Task.WaitAsync(Timeout);
    }
}
