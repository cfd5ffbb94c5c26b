using System.Net.WebSockets;
using HostKit.Tests.Chat;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>
/// Demo nodes on different hosts sharing one real Redis (docs/backplane.md): one chat across processes, resume on any
/// node, a node killed and restarted, Redis stopped and restarted under a conversation. Every wait is for an event.
/// </summary>
[Collection(ClusterCollection.Name)]
public class RedisChatClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A Demo node on <paramref name="host"/> using <paramref name="redis"/>, without the rate limit (the tests talk fast).</summary>
    public static Task<DemoProcess> StartNodeAsync(string host, RedisServer redis, int port = 0) =>
        DemoProcess.StartOnPortAsync(port, host, "--backplane", redis.Address, "--set", "HostKit:Chat:MaxMessagesPerSecond=0");

    [Fact]
    public async Task Two_nodes_on_different_hosts_share_a_room_in_one_order_with_the_same_ids()
    {
        const int PerMember = 25;
        await using var redis = await RedisServer.StartAsync();
        await using var kestrel = await StartNodeAsync("kestrel", redis);
        await using var raw = await StartNodeAsync("raw", redis);

        using var ann = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("lobby", "ann"));
        Assert.Equal(("join", "ann", 1L), Summary(await ann.ReceiveEventAsync()));
        using var bob = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("lobby", "bob"));
        Assert.Equal([("join", "ann", 1L), ("join", "bob", 2L)], (await bob.ReceiveEventsAsync(2)).Select(Summary));
        Assert.Equal(("join", "bob", 2L), Summary(await ann.ReceiveEventAsync()));

        // Both talk at once, each through its own node: the room still has one order, the same for both.
        var annHears = Task.Run(() => ReceiveMessagesAsync(ann, 2 * PerMember));
        var bobHears = Task.Run(() => ReceiveMessagesAsync(bob, 2 * PerMember));
        await Task.WhenAll(SayAsync(ann, "ann", PerMember), SayAsync(bob, "bob", PerMember));
        var atAnn = await annHears.WaitAsync(Timeout);
        var atBob = await bobHears.WaitAsync(Timeout);

        Assert.Equal(atAnn.Select(e => e.Raw), atBob.Select(e => e.Raw));
        atAnn.AssertContiguousFrom(3);
        Assert.Equal(Enumerable.Range(0, PerMember).Select(i => $"ann {i}"), atAnn.Where(e => e.Name == "ann").Select(e => e.Text));
        Assert.Equal(Enumerable.Range(0, PerMember).Select(i => $"bob {i}"), atAnn.Where(e => e.Name == "bob").Select(e => e.Text));
    }

    [Fact]
    public async Task A_client_resumes_on_the_other_node_missing_nothing_and_repeating_nothing()
    {
        const int Messages = 60;
        await using var redis = await RedisServer.StartAsync();
        await using var kestrel = await StartNodeAsync("kestrel", redis);
        await using var raw = await StartNodeAsync("raw", redis);
        using var talker = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("busy", "talker"));
        await talker.ReceiveEventAsync();

        List<ReceivedEvent> before;
        using (var first = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("busy", "reader")))
        {
            before = await first.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "reader");
            _ = Task.Run(() => SayAsync(talker, "m", Messages));
            before.AddRange(await first.ReceiveUntilAsync(e => e.Text == "m 20"));
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        }

        // Back on the other node while the talking goes on, with the id of the last event seen.
        var lastId = before[^1].Id!.Value;
        using var again = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("busy", "reader", after: lastId));
        var after = new List<ReceivedEvent>();
        while (!(after.Any(e => e.Text == $"m {Messages - 1}") && after.Any(e => e.Type == "leave") && after.Any(e => e.Type == "join")))
            after.Add(await again.ReceiveEventAsync());
        after.AssertContiguousFrom(lastId + 1);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"m {i}"), before.Concat(after).Where(e => e.Type == "message").Select(e => e.Text));
    }

    [Fact]
    public async Task A_node_killed_and_restarted_mid_conversation_loses_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        var kestrel = await StartNodeAsync("kestrel", redis);
        try
        {
            await using var raw = await StartNodeAsync("raw", redis);
            using var ann = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("crash", "ann"));
            using var bob = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("crash", "bob"));
            await ann.SendTextAsync("before the crash");
            var seenByAnn = await ann.ReceiveUntilAsync(e => e.Text == "before the crash");
            await bob.ReceiveUntilAsync(e => e.Text == "before the crash");

            // SIGKILL: no graceful stop, no leave for ann. The room goes on through the other node meanwhile.
            await kestrel.KillAsync();
            for (var i = 0; i < 3; i++)
                await bob.SendTextAsync($"while it was down {i}");
            await bob.ReceiveUntilAsync(e => e.Text == "while it was down 2");
            var port = kestrel.Address.Port;
            await kestrel.DisposeAsync();
            kestrel = await StartNodeAsync("kestrel", redis, port);

            using var annAgain = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("crash", "ann", after: seenByAnn[^1].Id));
            var missed = await annAgain.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "ann");
            missed.AssertContiguousFrom(seenByAnn[^1].Id!.Value + 1);
            Assert.DoesNotContain(missed, e => e.Type == "gap");
            Assert.Equal(["while it was down 0", "while it was down 1", "while it was down 2"], missed.Where(e => e.Type == "message").Select(e => e.Text));
        }
        finally
        {
            await kestrel.DisposeAsync();
        }
    }

    [Fact]
    public async Task While_Redis_is_down_new_members_get_503_and_messages_an_error_and_the_node_recovers_by_itself()
    {
        // Synced before each answer: the rooms outlive a restart of Redis (any other setting starts them again, docs/backplane.md#durability).
        await using var redis = await RedisServer.StartWithAppendOnlyFileAsync("always");
        await using var node = await StartNodeAsync("raw", redis);
        using var ann = await ChatSockets.ConnectAsync(node.Address, ChatApps.Path("outage", "ann"));
        Assert.Equal(("join", "ann", 1L), Summary(await ann.ReceiveEventAsync()));

        await redis.StopAsync(keepData: true);
        await node.Output.WaitForAsync(IsOutageLine, Timeout);

        var refused = await ChatSockets.UpgradeAsync(node.Address, ChatApps.Path("outage", "bob"));
        Assert.Equal(503, refused.Status);
        Assert.Contains("backplane cannot be reached", refused.Body, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            await ann.SendTextAsync($"said during the outage {i}");
            var error = await ann.ReceiveEventAsync();
            Assert.Equal("error", error.Type);
            Assert.Contains("not stored", error.Reason, StringComparison.Ordinal);
        }
        Assert.Single(node.Output.Lines, IsOutageLine);                    // logged once, not once per message

        await redis.StartAgainAsync();
        await node.Output.WaitForAsync(l => l.Contains("is reachable again", StringComparison.Ordinal), Timeout);
        using var bob = await ChatSockets.ConnectAsync(node.Address, ChatApps.Path("outage", "bob"));
        var bobSees = await bob.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "bob");
        Assert.Equal([("join", "ann", 1L), ("join", "bob", 2L)], bobSees.Select(Summary));   // nothing of the outage was stored

        // Ann never left: her node's feed reads on from id 1 and she sees what came after.
        Assert.Equal(("join", "bob", 2L), Summary(await ann.ReceiveEventAsync()));
        await ann.SendTextAsync("after the outage");
        Assert.Equal(("message", "ann", 3L), Summary(await ann.ReceiveEventAsync()));
        Assert.Equal(("message", "ann", 3L), Summary(await bob.ReceiveEventAsync()));
        Assert.False(node.HasExited);

        static bool IsOutageLine(string line) => line.Contains("is unreachable", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_members_sharing_a_name_on_two_nodes_are_told_apart_by_member_id_and_events_stored_before_ids_still_read()
    {
        await using var redis = await RedisServer.StartAsync();
        // An entry as HostKit stored it before members had ids (and as writers from outside still store it): no member field.
        Assert.Equal(":1", await redis.CommandAsync("INCR hostkit:chat:{twins}:last-id"));
        Assert.Equal("$3", await redis.CommandAsync("XADD hostkit:chat:{twins}:events 1-0 type message name ann ts 1764600000000 text before"));
        await using var kestrel = await StartNodeAsync("kestrel", redis);
        await using var raw = await StartNodeAsync("raw", redis);

        using var first = await ChatSockets.ConnectAsync(kestrel.Address, ChatApps.Path("twins", "ann"));
        var before = await first.ReceiveEventAsync();
        Assert.Equal(("message", "ann", 1L, "before"), (before.Type, before.Name!, before.Id!.Value, before.Text!));
        Assert.Null(before.Member);
        var firstJoin = await first.ReceiveEventAsync();
        Assert.Equal(("join", "ann", 2L, true), (firstJoin.Type, firstJoin.Name!, firstJoin.Id!.Value, firstJoin.You));
        Assert.Matches("^[0-9a-f]{12}$", firstJoin.Member);

        using var second = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("twins", "ann"));
        var atSecond = await second.ReceiveEventsAsync(3);
        Assert.Equal([null, firstJoin.Member], atSecond.Take(2).Select(e => e.Member));
        Assert.Null(atSecond[1].You);                                                   // the other ann's join: not "you"
        var secondJoin = atSecond[2];
        Assert.Equal(("join", "ann", 3L, true), (secondJoin.Type, secondJoin.Name!, secondJoin.Id!.Value, secondJoin.You));
        Assert.NotEqual(firstJoin.Member, secondJoin.Member);
        var secondJoinAtFirst = await first.ReceiveEventAsync();
        Assert.Equal((secondJoin.Member, (bool?)null), (secondJoinAtFirst.Member, secondJoinAtFirst.You));

        // Each message names the connection that sent it, the same on both nodes.
        await first.SendTextAsync("from the first ann");
        var atFirst = new List<ReceivedEvent> { await first.ReceiveEventAsync() };           // stored before the second speaks
        await second.SendTextAsync("from the second ann");
        atFirst.Add(await first.ReceiveEventAsync());
        foreach (var messages in new[] { atFirst, await second.ReceiveEventsAsync(2) })
            Assert.Equal([("from the first ann", firstJoin.Member), ("from the second ann", secondJoin.Member)], messages.Select(e => (e.Text!, e.Member)));

        // One of them leaves: the leave says which one, so the room's list keeps the other.
        await second.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var leave = await first.ReceiveEventAsync();
        Assert.Equal(("leave", "ann", 6L, secondJoin.Member), (leave.Type, leave.Name!, leave.Id!.Value, leave.Member));

        // Replayed from Redis on either node, old and new events read alike, member ids kept.
        using var resumed = await ChatSockets.ConnectAsync(raw.Address, ChatApps.Path("twins", "cy", after: 0));
        var replay = await resumed.ReceiveUntilAsync(e => e is { Type: "join", Name: "cy" });
        Assert.Equal([null, firstJoin.Member, secondJoin.Member, firstJoin.Member, secondJoin.Member, secondJoin.Member],
            replay.SkipLast(1).Select(e => e.Member));
        replay.AssertContiguousFrom(1);
    }

    private static async Task SayAsync(WebSocket socket, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
            await socket.SendTextAsync($"{prefix} {i}");
    }

    private static async Task<List<ReceivedEvent>> ReceiveMessagesAsync(WebSocket socket, int count)
    {
        var messages = new List<ReceivedEvent>();
        while (messages.Count < count)
        {
            var received = await socket.ReceiveEventAsync();
            if (received.Type == "message")
                messages.Add(received);
        }
        return messages;
    }

    private static (string, string, long) Summary(ReceivedEvent e) => (e.Type, e.Name!, e.Id!.Value);
}
