using System.Globalization;
using System.Net.WebSockets;
using HostKit.Tests.Chat;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>
/// Presence across Demo nodes on one real Redis (docs/backplane.md, presence): a node killed with SIGKILL says nothing,
/// and the surviving nodes announce its members' leaves, each exactly once, when its presence expires.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ChatPresenceClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A node that renews its presence every 250 ms and is taken for dead 1.5 s after its last renewal.</summary>
    private static Task<DemoProcess> StartNodeAsync(string host, RedisServer redis) =>
        DemoProcess.StartOnPortAsync(0, host, "--backplane", redis.Address, "--set", "HostKit:Chat:MaxMessagesPerSecond=0",
            "--set", "HostKit:Chat:NodeHeartbeatInterval=00:00:00.250", "--set", "HostKit:Chat:NodeExpiry=00:00:01.500");

    [Fact]
    public async Task The_members_of_a_killed_node_leave_their_rooms_once_announced_by_the_nodes_that_survive()
    {
        await using var redis = await RedisServer.StartAsync();
        var doomed = await StartNodeAsync("kestrel", redis);
        try
        {
            // Two survivors, so both look for expired nodes at the same time: the leaves must still come once.
            await using var raw = await StartNodeAsync("raw", redis);
            await using var kestrel = await StartNodeAsync("kestrel", redis);
            using var bob = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("lobby", "bob"));
            await bob.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "bob");
            using var cat = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("lobby", "cat"));
            await cat.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "cat");
            using var dan = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("side", "dan"));
            await dan.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "dan");

            // The doomed node's members: two in the lobby, one in the side room.
            using var ann = await ChatSockets.ConnectAsync(doomed.Address, ChatApps.Path("lobby", "ann"));
            using var amy = await ChatSockets.ConnectAsync(doomed.Address, ChatApps.Path("lobby", "amy"));
            using var al = await ChatSockets.ConnectAsync(doomed.Address, ChatApps.Path("side", "al"));
            var atBob = await ReceiveUntilAllAsync(bob, "join", "cat", "ann", "amy");
            var atCat = await ReceiveUntilAllAsync(cat, "join", "ann", "amy");
            var atDan = await ReceiveUntilAllAsync(dan, "join", "al");

            await doomed.KillAsync();

            // Within the expiry and a beat or two, the survivors take the dead node's members off, with a leave each.
            atBob.AddRange(await ReceiveUntilAllAsync(bob, "leave", "ann", "amy").WaitAsync(Timeout));
            atCat.AddRange(await ReceiveUntilAllAsync(cat, "leave", "ann", "amy").WaitAsync(Timeout));
            atDan.AddRange(await ReceiveUntilAllAsync(dan, "leave", "al").WaitAsync(Timeout));

            // Once Redis lists only the two survivors, the dead node is forgotten: a leave appended twice would be in by
            // now. What each member heard up to a message sent after that has one leave per dead member, and no hole.
            await WaitUntilAsync(async () => await redis.CommandAsync("ZCARD hostkit:chat:nodes") == ":2");
            await bob.SendTextAsync("after the crash");
            await dan.SendTextAsync("after the crash");
            atBob.AddRange(await bob.ReceiveUntilAsync(e => e.Text == "after the crash"));
            atCat.AddRange(await cat.ReceiveUntilAsync(e => e.Text == "after the crash"));
            atDan.AddRange(await dan.ReceiveUntilAsync(e => e.Text == "after the crash"));

            foreach (var (heard, dead) in new[] { (atBob, new[] { "ann", "amy" }), (atCat, ["ann", "amy"]), (atDan, ["al"]) })
            {
                foreach (var name in dead)
                    Assert.Single(heard, e => e.Type == "leave" && e.Name == name);
                Assert.DoesNotContain(heard, e => e.Type == "leave" && !dead.Contains(e.Name));
                heard.AssertContiguousFrom(heard[0].Id!.Value);
            }
        }
        finally
        {
            await doomed.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_paused_past_its_expiry_closes_its_members_to_join_again_and_the_room_hears_one_leave_each()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var paused = await StartNodeAsync("raw", redis);
        await using var survivor = await StartNodeAsync("kestrel", redis);
        using var bob = await ChatSockets.ConnectAsync(survivor.Address, ChatApps.Path("lobby", "bob"));
        await bob.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "bob");
        using var ann = await ChatSockets.ConnectAsync(paused.Address, ChatApps.Path("lobby", "ann"));
        var atBob = await ReceiveUntilAllAsync(bob, "join", "ann");

        // SIGSTOP: the node renews nothing, and the survivor announces ann gone once the node's presence expires.
        DemoProcess.Signal("STOP", paused.Pid);
        try
        {
            atBob.AddRange(await ReceiveUntilAllAsync(bob, "leave", "ann").WaitAsync(Timeout));
        }
        finally
        {
            DemoProcess.Signal("CONT", paused.Pid);
        }

        // Woken up, the node finds its presence expired: ann, listed as gone, is closed with 1011 to join again.
        while ((await ann.ReceiveMessageAsync()).Type != WebSocketMessageType.Close)
        {
        }
        Assert.Equal(WebSocketCloseStatus.InternalServerError, ann.CloseStatus);
        Assert.Equal("presence expired; reconnect with after", ann.CloseStatusDescription);
        await ann.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);

        // She joins again; her old connection's end appended no second leave.
        using var annAgain = await ChatSockets.ConnectAsync(paused.Address, ChatApps.Path("lobby", "ann", after: atBob[^1].Id));
        await annAgain.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "ann");
        await bob.SendTextAsync("after the pause");
        atBob.AddRange(await bob.ReceiveUntilAsync(e => e.Text == "after the pause"));
        Assert.Single(atBob, e => e.Type == "leave" && e.Name == "ann");
        Assert.Equal(2, atBob.Count(e => e.Type == "join" && e.Name == "ann"));
        atBob.AssertContiguousFrom(atBob[0].Id!.Value);
    }

    /// <summary>Reads events until one of <paramref name="type"/> has come for each of <paramref name="names"/>.</summary>
    private static async Task<List<ReceivedEvent>> ReceiveUntilAllAsync(WebSocket socket, string type, params string[] names)
    {
        var events = new List<ReceivedEvent>();
        while (!names.All(n => events.Any(e => e.Type == type && e.Name == n)))
            events.Add(await socket.ReceiveEventAsync());
        return events;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, for at most <see cref="Timeout"/>.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The condition did not hold within {Timeout.TotalSeconds} s."));
            await Task.Delay(50);
        }
    }
}
