using System.Net;
using System.Net.WebSockets;
using System.Text;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>Websocket behaviour every host must show, written once and run on each registered host.</summary>
public abstract class WebSocketConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.Network);

    public static TheoryData<string> SubProtocolHosts => ConformanceHosts.Supporting(HostCapabilities.WebSocketSubProtocols);

    public static TheoryData<string, WebSocketMessageType, int> HostsTypesAndSizes()
    {
        var data = new TheoryData<string, WebSocketMessageType, int>();
        foreach (var host in Hosts)
        {
            foreach (var type in new[] { WebSocketMessageType.Text, WebSocketMessageType.Binary })
            {
                foreach (var size in new[] { 0, 125, 126, 65_535, 65_536, 1024 * 1024 })
                    data.Add(host, type, size);
            }
        }
        return data;
    }

    [HostTheory, MemberData(nameof(HostsTypesAndSizes))]
    public async Task Echo_returns_each_message_with_its_type_and_bytes(string host, WebSocketMessageType type, int size)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/echo");
        var payload = new byte[size];
        if (type == WebSocketMessageType.Text)
            payload.AsSpan().Fill((byte)'x');
        else
            new Random(size).NextBytes(payload);
        await socket.SendAsync(payload, type, true, CancellationToken.None).WaitAsync(Timeout);
        var (receivedType, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(type, receivedType);
        Assert.Equal(payload, data);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task The_handler_reads_its_request_after_the_accept(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/request?room=blue&n=1");
        Assert.Equal("GET /ws/request?room=blue&n=1 upgrade=websocket from=127.0.0.1", await socket.ReceiveTextAsync());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_websocket_accepted_after_the_application_waited_echoes_and_closes(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/echo-after-wait");
        await socket.SendAsync("late"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("late", await socket.ReceiveTextAsync());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_fragmented_message_is_reassembled(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/echo");
        foreach (var (piece, last) in new[] { ("frag", false), ("ment", false), ("ed", true) })
            await socket.SendAsync(Encoding.UTF8.GetBytes(piece), WebSocketMessageType.Text, last, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("fragmented", await socket.ReceiveTextAsync());
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task Ping_is_answered_with_pong(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo");
        await client.SendFrameAsync(0x9, "are you there"u8.ToArray());
        var (fin, opcode, payload) = await client.ReadFrameAsync();
        Assert.True(fin);
        Assert.Equal(0xA, opcode);
        Assert.Equal("are you there", Encoding.UTF8.GetString(payload));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Client_close_code_and_reason_reach_the_handler(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/observe");
        await socket.CloseAsync((WebSocketCloseStatus)4001, "client says bye", CancellationToken.None).WaitAsync(Timeout);
        var (status, description) = await server.App.ServerSawClose.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal("client says bye", description);
        Assert.Equal((WebSocketCloseStatus)4001, socket.CloseStatus);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Server_close_code_and_reason_reach_the_client(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/server-close");
        await socket.SendTextAsync("close please");
        Assert.Equal((WebSocketCloseStatus)4002, await socket.ReceiveCloseAsync());
        Assert.Equal("server says bye", socket.CloseStatusDescription);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Handler_returning_without_close_gives_1000(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/return");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await socket.ReceiveCloseAsync());
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Handler_exception_gives_1011_and_a_log_entry(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/throw");
        await socket.SendTextAsync("fail now");
        Assert.Equal(WebSocketCloseStatus.InternalServerError, await socket.ReceiveCloseAsync());
        await server.Log.WaitForAsync(e => e.Exception?.Message == "handler failed on purpose");
        // The host keeps serving.
        using var again = await server.ConnectWebSocketAsync("/ws/echo");
        await again.SendTextAsync("still here");
        Assert.Equal("still here", await again.ReceiveTextAsync());
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Refused_upgrade_is_seen_as_its_status(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var (socket, status) = await server.TryConnectWebSocketAsync("/ws/refuse");
        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Upgrade_to_an_unknown_route_is_404(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var (socket, status) = await server.TryConnectWebSocketAsync("/ws/nowhere");
        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Plain_get_on_a_websocket_route_is_426_with_an_explanation(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var response = await server.Http.GetAsync("/ws/echo");
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Contains("websocket", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [HostTheory, MemberData(nameof(SubProtocolHosts))]
    public async Task The_route_picks_its_best_subprotocol_the_client_offered(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/subprotocol", "chat.v1", "chat.v2");
        Assert.Equal("chat.v2", socket.SubProtocol);
        Assert.Equal("chat.v2", await socket.ReceiveTextAsync());
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Hundred_concurrent_clients_each_get_their_own_echo(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var socket = await server.ConnectWebSocketAsync("/ws/echo");
            for (var n = 0; n < 5; n++)
            {
                await socket.SendTextAsync($"client {i} message {n}");
                Assert.Equal($"client {i} message {n}", await socket.ReceiveTextAsync());
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        }));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Stopping_the_host_closes_open_websockets_with_1001(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var socket = await server.ConnectWebSocketAsync("/ws/hold");
        await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        var stopping = server.Server.StopAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await socket.ReceiveCloseAsync());
        await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, null, CancellationToken.None);
        await stopping.WaitAsync(Timeout);
    }
}
