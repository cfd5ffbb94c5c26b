using System.Net.WebSockets;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// A stop drops nothing it could finish, in the same order on every host (<see cref="GracefulStop"/>):
/// stop accepting, refuse what is new, let requests in flight finish, close websockets with 1001, drop the rest.
/// </summary>
public abstract class ShutdownConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.WebSockets);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.WebSockets | HostCapabilities.Network);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_request_in_flight_at_stop_gets_its_whole_response(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { ShutdownTimeout = TimeSpan.FromMinutes(2) });
        var slow = server.Http.GetStringAsync("/slow");
        await server.App.SlowEntered.Task.WaitAsync(Timeout);
        var stopping = server.Server.StopAsync();
        // The drain waits for the request, however long (the shutdown timeout is far off)...
        Assert.False(stopping.IsCompleted);
        server.App.SlowGate.SetResult();
        // ...and the request gets all of its answer.
        Assert.Equal("slow", await slow.WaitAsync(Timeout));
        await stopping.WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_keep_alive_connection_that_tries_to_upgrade_during_the_drain_is_refused(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { ShutdownTimeout = TimeSpan.FromMinutes(2) });
        await using var keptAlive = await server.OpenConnectionAsync();
        await keptAlive.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        Assert.Equal("Hello, World!", (await keptAlive.ReadResponseAsync()).Text);

        // A slow request keeps the drain going while the kept-alive connection tries its upgrade.
        var slow = server.Http.GetStringAsync("/slow");
        await server.App.SlowEntered.Task.WaitAsync(Timeout);
        var stopping = server.Server.StopAsync();
        try
        {
            await keptAlive.SendAsync($"GET /ws/echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            // Refused: a 503, or the connection closed by the stop; never a 101 that would only get a 1006 later.
            var answer = await keptAlive.ReadResponseAsync();
            Assert.Equal(503, answer.Status);
        }
        catch (IOException)
        {
            // Closed: refused as well.
        }
        server.App.SlowGate.SetResult();
        Assert.Equal("slow", await slow.WaitAsync(Timeout));
        await stopping.WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Every_open_websocket_sees_1001_and_the_stop_returns(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        var sockets = new List<WebSocket>();
        for (var i = 0; i < 3; i++)
        {
            sockets.Add(await server.ConnectWebSocketAsync("/ws/hold"));
            await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        }
        var stopping = server.Server.StopAsync();
        foreach (var socket in sockets)
        {
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await socket.ReceiveCloseAsync());
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, null, CancellationToken.None);
        }
        await stopping.WaitAsync(Timeout);
        for (var i = 0; i < sockets.Count; i++)
        {
            var (status, _) = await server.App.ServerSawClose.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        }
        sockets.ForEach(s => s.Dispose());
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_websocket_whose_peer_never_answers_the_1001_is_dropped_and_the_stop_returns(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with
        {
            ShutdownTimeout = TimeSpan.FromSeconds(2),
            WebSockets = o.WebSockets with { CloseTimeout = TimeSpan.FromMilliseconds(500) },
        });
        // A peer that upgrades and then never reads or answers anything.
        await using var silent = await server.OpenConnectionAsync();
        await silent.SendAsync($"GET /ws/hold HTTP/1.1\r\nHost: {server.Address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        Assert.Equal(101, (await silent.ReadHeadAsync()).Status);
        await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        await server.Server.StopAsync().WaitAsync(Timeout);
        Assert.True(await silent.IsClosedByServerAsync(), "the stop returned but left the websocket's connection open");
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_request_that_arrives_during_the_drain_is_refused_with_503_or_not_accepted(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { ShutdownTimeout = TimeSpan.FromMinutes(2) });
        var slow = server.Http.GetStringAsync("/slow");
        await server.App.SlowEntered.Task.WaitAsync(Timeout);
        var stopping = server.Server.StopAsync();
        try
        {
            using var late = await server.Http.GetAsync("/plaintext");
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, late.StatusCode);
        }
        catch (HttpRequestException)
        {
            // Not accepted at all: the listener is closed.
        }
        server.App.SlowGate.SetResult();
        Assert.Equal("slow", await slow.WaitAsync(Timeout));
        await stopping.WaitAsync(Timeout);
    }
}
