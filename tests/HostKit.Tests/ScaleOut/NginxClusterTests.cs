using HostKit.Tests.Chat;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>deploy/nginx.conf in front of two nodes with no sticky sessions: clients spread over both share one room.</summary>
[Collection(ClusterCollection.Name)]
public class NginxClusterTests
{
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
