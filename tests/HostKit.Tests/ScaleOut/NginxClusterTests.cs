using HostKit.Tests.Chat;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>deploy/nginx.conf in front of two nodes with no sticky sessions: clients spread over both share one room.</summary>
[Collection(ClusterCollection.Name)]
public class NginxClusterTests
{
    /// <summary>
    /// Regression (issue 32): with <c>max_fails=1 fail_timeout=5s</c> a node that came back stayed "down" to nginx for the
    /// rest of the 5 s, and then until its trial request ended, which a websocket makes hours; stopping the other node
    /// meanwhile gave 502 "no live upstreams". deploy/nginx.conf keeps no such state: the node is used as soon as it is back.
    /// </summary>
    [Fact]
    public async Task A_node_that_comes_back_serves_at_once_even_holding_a_websocket_when_the_other_stops()
    {
        var portA = FreePort.Next();
        var a = await DemoProcess.StartAsync("kestrel", portA);
        await using var b = await DemoProcess.StartAsync("raw");
        await using var nginx = await NginxServer.StartAsync(a.Address, b.Address);
        using var http = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(30) };

        await a.StopAsync();
        await a.DisposeAsync();
        for (var i = 0; i < 4; i++) // nginx tries the stopped node too, and the request goes on to the other
            Assert.Equal("Hello, World!", await http.GetStringAsync("/plaintext"));

        await using var back = await DemoProcess.StartOnPortAsync(portA, "kestrel");
        var sockets = new List<System.Net.WebSockets.WebSocket>();
        try
        {
            // least_conn: the node that came back has no connections, so it gets the next websockets, at once.
            while (SocketOwners.EstablishedOnPort(back.Pid, portA) == 0)
            {
                Assert.True(sockets.Count < 4, "nginx sent 4 new websockets to the busier node, not to the one that came back");
                sockets.Add(await ChatSockets.ConnectAsync(nginx.Address, "/ws/echo"));
            }
            await b.StopAsync();
            for (var i = 0; i < 4; i++)
            {
                using var response = await http.GetAsync(new Uri("/plaintext", UriKind.Relative));
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} from nginx with one node up: {await response.Content.ReadAsStringAsync()}");
            }
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }
    }

    [Fact]
    public async Task Clients_through_nginx_land_on_both_nodes_and_share_one_room()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var kestrel = await RedisChatClusterTests.StartNodeAsync("kestrel", redis);
        await using var raw = await RedisChatClusterTests.StartNodeAsync("raw", redis);
        await using var nginx = await NginxServer.StartAsync(kestrel.Address, raw.Address);

        using var http = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal("Hello, World!", await http.GetStringAsync("/plaintext"));

        var members = new List<System.Net.WebSockets.WebSocket>();
        try
        {
            // least_conn sends each new socket to the node with fewer: a few clients are on both.
            while (SocketOwners.EstablishedOnPort(kestrel.Pid, kestrel.Address.Port) == 0 || SocketOwners.EstablishedOnPort(raw.Pid, raw.Address.Port) == 0)
            {
                Assert.True(members.Count < 16, "nginx sent 16 websockets to one node");
                var name = $"c{members.Count}";
                var member = await ChatSockets.ConnectAsync(nginx.Address, ChatApps.Path("behind-nginx", name));
                await member.ReceiveUntilAsync(e => e.Type == "join" && e.Name == name);
                members.Add(member);
            }
            await members[^1].SendTextAsync("through nginx");
            var heard = new List<ReceivedEvent>();
            foreach (var member in members)
                heard.Add((await member.ReceiveUntilAsync(e => e.Text == "through nginx"))[^1]);
            Assert.Single(heard.Select(e => e.Raw).Distinct());
        }
        finally
        {
            foreach (var member in members)
                member.Dispose();
        }
    }
}
