using System.Net.WebSockets;
using HostKit.Chat;
using HostKit.Chat.Backplane;
using HostKit.Chat.Redis;
using HostKit.Tests.Chat;
using HostKit.Tests.Conformance;
using HostKit.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HostKit.Tests.ScaleOut;

/// <summary>The Redis backplane against a real Redis, in this process: the seam's guarantees, and what it does when Redis lost its data.</summary>
public class RedisChatBackplaneTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Task<RedisChatBackplane> ConnectAsync(RedisServer redis, int historyLimit = 1000) =>
        RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions { Address = redis.Address, HistoryLimit = historyLimit });

    [Fact]
    public async Task Two_nodes_appending_at_once_get_one_sequence_of_ids_and_both_feeds_deliver_all_of_it_in_order()
    {
        const int PerNode = 200;
        await using var redis = await RedisServer.StartAsync();
        await using var nodeA = await ConnectAsync(redis);
        await using var nodeB = await ConnectAsync(redis);
        await using var feedA = await nodeA.SubscribeAsync("race");
        await using var feedB = await nodeB.SubscribeAsync("race");

        var stored = await Task.WhenAll(
            Task.Run(() => AppendAsync(nodeA, "a", PerNode)),
            Task.Run(() => AppendAsync(nodeB, "b", PerNode)));
        Assert.Equal(Enumerable.Range(1, 2 * PerNode).Select(i => (long)i), stored.SelectMany(s => s).Select(e => e.Id).Order());

        var deliveredA = await ReadAsync(feedA.Events, 2 * PerNode);
        var deliveredB = await ReadAsync(feedB.Events, 2 * PerNode);
        Assert.Equal(Enumerable.Range(1, 2 * PerNode).Select(i => (long)i), deliveredA.Select(e => e.Id));
        Assert.Equal(deliveredA, deliveredB);

        var history = await nodeB.ReadAfterAsync("race", 390);
        Assert.Equal((2L * PerNode, 1L, 10), (history.NewestId, history.OldestKeptId, history.Events.Count));
        var latest = await nodeA.ReadLatestAsync("race", 3);
        Assert.Equal([398L, 399L, 400L], latest.Events.Select(e => e.Id));
        Assert.Equal(deliveredA[^1], latest.Events[^1]);
    }

    [Fact]
    public async Task A_room_keeps_about_its_history_limit_and_says_where_its_log_now_starts()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ConnectAsync(redis, historyLimit: 10);
        await AppendAsync(node, "a", 500);
        var kept = await node.ReadAfterAsync("race", 0);
        // MAXLEN ~ trims whole stream nodes (100 entries each by default), so "about" means at least 10 and fewer than 110 here.
        Assert.InRange(kept.Events.Count, 10, 109);
        Assert.Equal((500L, kept.Events[0].Id), (kept.NewestId, kept.OldestKeptId));
        kept.Events.Select(e => ReceivedEvent.Parse($"{{\"type\":\"message\",\"id\":{e.Id}}}")).ToList().AssertContiguousFrom(kept.OldestKeptId);
    }

    [Fact]
    public async Task An_empty_room_reads_as_empty_and_a_resume_beyond_its_newest_id_reads_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ConnectAsync(redis);
        var empty = await node.ReadLatestAsync("nobody", 50);
        Assert.Equal((0, 1L, 0L), (empty.Events.Count, empty.OldestKeptId, empty.NewestId));
        Assert.Empty((await node.ReadAfterAsync("nobody", long.MaxValue)).Events);
    }

    [Fact]
    public async Task When_Redis_lost_its_data_the_members_are_closed_with_1011_and_resuming_gets_a_gap()
    {
        await using var redis = await RedisServer.StartAsync();
        var log = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log));
        await using var backplane = await RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions { Address = redis.Address }, loggers);
        await using var chat = new ChatServer(ChatOptions.Default, backplane, loggers);
        await using var server = await ServerUnderTest.StartAsync("memory", _ => ChatApps.Create(chat));
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("reset", "ann"));
        await ann.SendTextAsync("one");
        await ann.SendTextAsync("two");
        List<ReceivedEvent> seen;
        try
        {
            seen = await ann.ReceiveUntilAsync(e => e.Text == "two");                   // ids 1 to 3
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            // Seen once in many runs: the member closed with 1011 before Redis lost anything. Say what the node logged.
            throw new Xunit.Sdk.XunitException($"{ex.Message}\nThe node logged:\n{string.Join('\n', log.Entries.Select(e => $"{e.Level} {e.EventId.Id} {e.Message} {e.Exception?.Message}"))}");
        }

        Assert.Equal("+OK", await redis.CommandAsync("FLUSHALL"));
        await backplane.AppendAsync(new ChatPost(ChatEventType.Message, "reset", "other", "after the loss"));  // id 1 again
        Assert.Equal(WebSocketCloseStatus.InternalServerError, await ann.ReceiveCloseAsync());
        await log.WaitForAsync(e => e.EventId.Id == 123);

        using var again = await server.ConnectWebSocketAsync(ChatApps.Path("reset", "ann", after: seen[^1].Id));
        var gap = await again.ReceiveEventAsync();
        Assert.Equal(("gap", 3L, 1L), (gap.Type, gap.From!.Value, gap.To!.Value));
        var first = await again.ReceiveEventAsync();
        Assert.Equal(("after the loss", 1L), (first.Text!, first.Id!.Value));
    }

    [Fact]
    public async Task After_Redis_lost_its_data_a_resume_with_the_old_epoch_gets_a_reset_even_when_the_new_room_passed_the_old_id()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backplane = await ConnectAsync(redis);
        await using var chat = new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 0 }, backplane);
        await using var server = await ServerUnderTest.StartAsync("memory", _ => ChatApps.Create(chat));
        List<ReceivedEvent> seen;
        using (var ann = await server.ConnectWebSocketAsync(ChatApps.Path("epochs", "ann")))
        {
            await ann.SendTextAsync("old");
            seen = await ann.ReceiveUntilAsync(e => e.Text == "old");     // ids 1..2 of the first incarnation
        }
        var oldEpoch = seen[^1].Epoch!;

        Assert.Equal("+OK", await redis.CommandAsync("FLUSHALL"));
        for (var i = 0; i < 5; i++)                                         // the new room passes id 2
            await backplane.AppendAsync(new ChatPost(ChatEventType.Message, "epochs", "other", $"new {i}"));

        using var again = await server.ConnectWebSocketAsync(ChatApps.Path("epochs", "ann", after: 2) + "&epoch=" + oldEpoch);
        var gap = await again.ReceiveEventAsync();
        Assert.Equal(("gap", 2L, 1L, true), (gap.Type, gap.From!.Value, gap.To!.Value, gap.Reset!.Value));
        var replay = await again.ReceiveUntilAsync(e => e.Type == "join");
        replay.AssertContiguousFrom(1);
        Assert.Equal(["new 0", "new 1", "new 2", "new 3", "new 4"], replay.Where(e => e.Type == "message").Select(e => e.Text));
        Assert.All(replay, e => Assert.NotEqual(oldEpoch, e.Epoch));
    }

    [Fact]
    public async Task A_message_resent_with_its_cid_is_stored_once_across_nodes_for_a_bounded_window()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodeA = await ConnectAsync(redis);
        await using var nodeB = await ConnectAsync(redis);
        var first = await nodeA.AppendAsync(new ChatPost(ChatEventType.Message, "once", "ann", "hello", "c-1"));
        var resent = await nodeB.AppendAsync(new ChatPost(ChatEventType.Message, "once", "ann", "hello", "c-1"));
        Assert.Equal((first.Id, first.Ts, first.Epoch), (resent.Id, resent.Ts, resent.Epoch));
        Assert.NotNull(first.Epoch);
        var other = await nodeB.AppendAsync(new ChatPost(ChatEventType.Message, "once", "bob", "hello", "c-1"));   // cids are per sender
        Assert.Equal(first.Id + 1, other.Id);
        Assert.Equal(2, (await nodeA.ReadAfterAsync("once", 0)).Events.Count);

        // The window: the sender's latest 1000 cids, expiring an hour after its last message.
        for (var i = 2; i <= IChatBackplane.RecentCidsPerSender + 1; i++)
            await nodeA.AppendAsync(new ChatPost(ChatEventType.Message, "once", "ann", $"m{i}", $"c-{i}"));
        Assert.Equal($":{IChatBackplane.RecentCidsPerSender}", await redis.CommandAsync("ZCARD hostkit:chat:{once}:cids:ann"));
        var ttl = long.Parse((await redis.CommandAsync("TTL hostkit:chat:{once}:cids:ann"))[1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, 3600);
        var second = await nodeB.AppendAsync(new ChatPost(ChatEventType.Message, "once", "ann", "m2", "c-2"));
        Assert.Equal(3, second.Id);                                        // still remembered
        var forgotten = await nodeB.AppendAsync(new ChatPost(ChatEventType.Message, "once", "ann", "hello", "c-1"));
        Assert.True(forgotten.Id > IChatBackplane.RecentCidsPerSender + 1, $"c-1 should be out of the window, stored anew: {forgotten}");
    }

    /// <summary>
    /// docs/backplane.md#durability: a Redis that answers before its writes are on disk (appendfsync everysec, Redis's default
    /// for its file) may come back from a restart without its last acknowledged events, and nobody can tell which. So a room
    /// written by such a run starts its log again at its first use after the restart (a new epoch, ids from 1; a clean stop
    /// looks the same as a crash), and a cid stored in the old log is free to be stored in the new one. With appendfsync always,
    /// the room goes on: same epoch, same ids, and a resent cid is still a duplicate.
    /// </summary>
    [Theory]
    [InlineData("everysec", true)]
    [InlineData("always", false)]
    public async Task After_Redis_restarts_a_room_starts_its_log_again_unless_Redis_synced_its_writes_before_answering(string appendFsync, bool startsAgain)
    {
        await using var redis = await RedisServer.StartWithAppendOnlyFileAsync(appendFsync);
        await using var node = await ConnectAsync(redis);
        var before = await AppendAsync(node, "a", 3);
        var sent = await node.AppendAsync(new ChatPost(ChatEventType.Message, "race", "ann", "hello", "c-1"));
        Assert.Equal((4L, before[0].Epoch), (sent.Id, sent.Epoch));

        await redis.StopAsync(keepData: true);
        await redis.StartAgainAsync();
        await Eventually.TrueAsync(() => node.IsAvailable, "the node reconnected", Timeout);

        var after = await RetryWhileReconnectingAsync(() => node.ReadAfterAsync("race", 0));
        var resent = await node.AppendAsync(new ChatPost(ChatEventType.Message, "race", "ann", "hello", "c-1"));
        if (startsAgain)
        {
            Assert.Equal((0L, (string?)null, 0), (after.NewestId, after.Epoch, after.Events.Count));
            Assert.Equal(1, resent.Id);                                    // stored anew, in the new log
            Assert.NotEqual(sent.Epoch, resent.Epoch);
        }
        else
        {
            Assert.Equal((4L, sent.Epoch), (after.NewestId, after.Epoch));
            Assert.Equal((sent.Id, sent.Epoch), (resent.Id, resent.Epoch)); // the same message: not stored twice
        }
    }

    /// <summary>A command right after a reconnect may still meet the old connection's failure: try again, bounded.</summary>
    private static async Task<T> RetryWhileReconnectingAsync<T>(Func<ValueTask<T>> call)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (ChatBackplaneUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);                                     // polling for the reconnection, bounded by the deadline
            }
        }
    }

    private static async Task<List<ChatEvent>> AppendAsync(IChatBackplane node, string name, int count)
    {
        var stored = new List<ChatEvent>(count);
        for (var i = 0; i < count; i++)
            stored.Add(await node.AppendAsync(new ChatPost(ChatEventType.Message, "race", name, $"{name} {i}")));
        return stored;
    }

    private static async Task<List<ChatEvent>> ReadAsync(System.Threading.Channels.ChannelReader<ChatEvent> feed, int count)
    {
        var events = new List<ChatEvent>(count);
        while (events.Count < count)
            events.Add(await feed.ReadAsync().AsTask().WaitAsync(Timeout));
        return events;
    }
}
