using HostKit.Chat;
using HostKit.Chat.Backplane;
using HostKit.Chat.Redis;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>The Redis backplane's presence against a real Redis, in this process: each join gets exactly one leave, whoever appends it.</summary>
public class RedisNodePresenceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<RedisChatBackplane> ConnectAsync(RedisServer redis, double expirySeconds = 1)
    {
        var node = await RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions
        {
            Address = redis.Address,
            NodeHeartbeatInterval = TimeSpan.FromMilliseconds(100),
            NodeExpiry = TimeSpan.FromSeconds(expirySeconds),
        });
        // ConnectAsync may return before both of StackExchange.Redis's connections are up (AbortOnConnectFail is off, so a
        // node can start before Redis); on a loaded machine the subscription one can lag, and a SUBSCRIBE then fails fast.
        await WaitUntilAsync(() => node.IsAvailable && node.Subscriber.IsConnected());
        return node;
    }

    [Fact]
    public async Task A_leave_is_appended_once_by_whoever_takes_the_member_off_first()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ConnectAsync(redis);
        await using var feed = await node.SubscribeAsync("room");
        var ann = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "ann"));
        Assert.Equal((ChatEventType.Join, "ann", 1L), (ann.Join.Type, ann.Join.Name, ann.Join.Id));

        var left = await node.LeaveAsync(ann);
        Assert.Equal((ChatEventType.Leave, "ann", 2L), (left!.Type, left.Name, left.Id));
        Assert.Null(await node.LeaveAsync(ann));                              // a second leave for the same join: nothing
        Assert.Equal([(ChatEventType.Join, "ann"), (ChatEventType.Leave, "ann")], (await ReadAsync(feed, 2)).Select(e => (e.Type, e.Name)));
    }

    [Fact]
    public async Task Joins_messages_and_leaves_carry_the_member_id_the_leave_of_a_dead_nodes_member_included()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ConnectAsync(redis);
        await using var feed = await node.SubscribeAsync("room");
        var ann = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "ann", Member: "aaaa11112222"));
        var twin = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "ann", Member: "bbbb33334444"));
        await node.AppendAsync(new ChatPost(ChatEventType.Message, "room", "ann", "hi", "c1", Member: "bbbb33334444"));
        await node.LeaveAsync(twin);
        Assert.Equal(("aaaa11112222", "bbbb33334444"), (ann.Join.Member, twin.Join.Member));
        Assert.Equal([(ChatEventType.Join, "aaaa11112222"), (ChatEventType.Join, "bbbb33334444"), (ChatEventType.Message, "bbbb33334444"), (ChatEventType.Leave, "bbbb33334444")],
            (await ReadAsync(feed, 4)).Select(e => (e.Type, e.Member)));

        // A member of a dead node is announced gone by another, under the id it joined with.
        Assert.Equal(":1", await redis.CommandAsync("SADD hostkit:chat:node:dead-node:rooms room"));
        Assert.Equal(":1", await redis.CommandAsync("HSET hostkit:chat:{room}:members:dead-node cccc55556666 ann"));
        Assert.Equal(":1", await redis.CommandAsync("ZADD hostkit:chat:nodes 1 dead-node"));
        Assert.Equal((ChatEventType.Leave, "ann", "cccc55556666"), (await ReadAsync(feed, 1)).Select(e => (e.Type, e.Name, e.Member)).Single());
    }

    [Fact]
    public async Task Joins_and_leaves_carry_the_rooms_epoch_and_a_room_created_by_a_join_gets_one()
    {
        // The presence script appends with the append script's own steps (event.lua): a join may be a room's first event.
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ConnectAsync(redis);
        await using var feed = await node.SubscribeAsync("room");
        var ann = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "ann"));
        var epoch = Assert.IsType<string>(ann.Join.Epoch);
        Assert.Equal(epoch, (await node.ReadLatestAsync("room", 0)).Epoch);    // what a reader resuming with epoch= compares

        var said = await node.AppendAsync(new ChatPost(ChatEventType.Message, "room", "ann", "hi", "c1"));
        var left = await node.LeaveAsync(ann);
        Assert.Equal((epoch, epoch), (said.Epoch, left!.Epoch));
        Assert.Equal([(ChatEventType.Join, epoch), (ChatEventType.Message, epoch), (ChatEventType.Leave, epoch)], (await ReadAsync(feed, 3)).Select(e => (e.Type, e.Epoch)));

        // A leave announced by another node for a dead one carries it too.
        Assert.Equal(":1", await redis.CommandAsync("SADD hostkit:chat:node:dead-node:rooms room"));
        Assert.Equal(":1", await redis.CommandAsync("HSET hostkit:chat:{room}:members:dead-node 1 dan"));
        Assert.Equal(":1", await redis.CommandAsync("ZADD hostkit:chat:nodes 1 dead-node"));
        Assert.Equal((ChatEventType.Leave, "dan", epoch), (await ReadAsync(feed, 1)).Select(e => (e.Type, e.Name, e.Epoch)).Single());
    }

    [Fact]
    public async Task A_node_claimed_as_dead_has_its_members_taken_off_once_and_goes_on_under_a_new_id()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ConnectAsync(redis);
        await using var other = await ConnectAsync(redis);
        await using var feed = await other.SubscribeAsync("room");
        var ann = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "ann"));
        var expired = new TaskCompletionSource();
        using var registration = ann.Expired.Register(() => expired.TrySetResult());
        var oldId = node.Node;

        // As if the node had been paused past its expiry and another node had claimed it (score -1, docs/backplane.md):
        // whichever node looks first takes ann off, and her node, finding itself claimed, ends her presence.
        Assert.Equal(":0", await redis.CommandAsync($"ZADD hostkit:chat:nodes XX -1 {oldId}"));
        await expired.Task.WaitAsync(Timeout);
        Assert.NotEqual(oldId, node.Node);
        Assert.Equal([(ChatEventType.Join, "ann"), (ChatEventType.Leave, "ann")], (await ReadAsync(feed, 2)).Select(e => (e.Type, e.Name)));
        Assert.Null(await node.LeaveAsync(ann));                              // her own node comes too late: no second leave

        // A member joining now is listed under the new id, which the node renews: it stays until it leaves.
        var bob = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "bob"));
        Assert.Equal(node.Node, bob.Node);
        Assert.False(bob.Expired.IsCancellationRequested);
        Assert.Equal("bob", (await node.LeaveAsync(bob))!.Name);
        Assert.Equal([(ChatEventType.Join, "bob"), (ChatEventType.Leave, "bob")], (await ReadAsync(feed, 2)).Select(e => (e.Type, e.Name)));
    }

    [Fact]
    public async Task A_leave_Redis_could_not_take_is_stored_once_it_is_back()
    {
        // Synced before each answer: the rooms outlive a restart of Redis (any other setting starts them again, docs/backplane.md#durability).
        await using var redis = await RedisServer.StartWithAppendOnlyFileAsync("always");
        await using var node = await ConnectAsync(redis);
        await using var other = await ConnectAsync(redis);
        await using var feed = await other.SubscribeAsync("room");
        var ann = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "ann"));

        await redis.StopAsync(keepData: true);
        await WaitUntilAsync(() => !node.IsAvailable);
        await Assert.ThrowsAsync<ChatBackplaneUnavailableException>(async () => await node.LeaveAsync(ann));
        await redis.StartAgainAsync();

        // The node's heartbeat stores it: the room hears ann leave, once.
        Assert.Equal([(ChatEventType.Join, "ann"), (ChatEventType.Leave, "ann")], (await ReadAsync(feed, 2)).Select(e => (e.Type, e.Name)));
        Assert.Null(await node.LeaveAsync(ann));
    }

    [Fact]
    public async Task An_outage_of_Redis_longer_than_the_expiry_announces_nobody_gone_but_the_dead()
    {
        // A 3 s expiry: more than the 2 s at most between the two nodes' reconnections (StackExchange.Redis's backoff).
        // Synced before each answer: the rooms outlive a restart of Redis (any other setting starts them again, docs/backplane.md#durability).
        await using var redis = await RedisServer.StartWithAppendOnlyFileAsync("always");
        await using var node = await ConnectAsync(redis, expirySeconds: 3);
        await using var other = await ConnectAsync(redis, expirySeconds: 3);
        await using var feed = await other.SubscribeAsync("room");
        var ann = await node.JoinAsync(new ChatPost(ChatEventType.Join, "room", "ann"));
        var expired = new TaskCompletionSource();
        using var registration = ann.Expired.Register(() => expired.TrySetResult());

        // Redis is away for longer than the expiry: by its clock every node's presence has run out when it is back.
        await redis.StopAsync(keepData: true);
        await Task.Delay(TimeSpan.FromSeconds(4));                          // the fault itself: an outage of 4 s
        await redis.StartAgainAsync();

        // A node that died meanwhile, listed as its own node would have listed it (docs/backplane.md), long expired.
        Assert.Equal(":1", await redis.CommandAsync("SADD hostkit:chat:node:dead-node:rooms room"));
        Assert.Equal(":1", await redis.CommandAsync("HSET hostkit:chat:{room}:members:dead-node 1 dan"));
        Assert.Equal(":1", await redis.CommandAsync("ZADD hostkit:chat:nodes 1 dead-node"));

        // Once dan's leave is in, the nodes have claimed what was expired after the outage: only the dead node.
        Assert.Equal([(ChatEventType.Join, "ann"), (ChatEventType.Leave, "dan")], (await ReadAsync(feed, 2)).Select(e => (e.Type, e.Name)));
        Assert.False(expired.Task.IsCompleted, "ann's node was taken for dead for an outage of Redis");
        Assert.Equal("ann", (await node.LeaveAsync(ann))!.Name);              // still listed: her own node takes her off
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!condition())
            await Task.Delay(20, deadline.Token);
    }

    private static async Task<List<ChatEvent>> ReadAsync(IChatSubscription feed, int count)
    {
        var events = new List<ChatEvent>(count);
        while (events.Count < count)
            events.Add(await feed.Events.ReadAsync().AsTask().WaitAsync(Timeout));
        return events;
    }
}
