using HostKit.Chat;
using HostKit.Chat.Backplane;
using HostKit.Chat.Redis;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>The Redis backplane's presence against a real Redis, in this process: each join gets exactly one leave, whoever appends it.</summary>
public class RedisNodePresenceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Task<RedisChatBackplane> ConnectAsync(RedisServer redis) =>
        RedisChatBackplane.ConnectAsync(new RedisChatBackplaneOptions
        {
            Address = redis.Address,
            NodeHeartbeatInterval = TimeSpan.FromMilliseconds(100),
            NodeExpiry = TimeSpan.FromSeconds(1),
        });

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

    private static async Task<List<ChatEvent>> ReadAsync(IChatSubscription feed, int count)
    {
        var events = new List<ChatEvent>(count);
        while (events.Count < count)
            events.Add(await feed.Events.ReadAsync().AsTask().WaitAsync(Timeout));
        return events;
    }
}
