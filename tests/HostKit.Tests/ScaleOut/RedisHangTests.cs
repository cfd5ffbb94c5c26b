using HostKit.Tests.Chat;
using HostKit.Tests.Support;

namespace HostKit.Tests.ScaleOut;

/// <summary>
/// A Redis that hangs (SIGSTOP) rather than drops: the connection stays open and nothing answers. The node must see it
/// (a PING deadline), refuse honestly, and tell "not stored" from "nobody knows" (docs/chat.md, docs/backplane.md).
/// </summary>
[Collection(ClusterCollection.Name)]
public class RedisHangTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_paused_Redis_counts_as_unavailable_within_the_PING_deadline_503_and_not_stored_then_recovers()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await DemoProcess.StartOnPortAsync(0, "raw", "--backplane", redis.Address, "--set", "HostKit:Chat:BackplaneDeadline=00:00:01");
        using var ann = await ChatSockets.ConnectAsync(node.Address, ChatApps.Path("hang", "ann"));
        await ann.ReceiveEventAsync();                                      // 1 join
        try
        {
            redis.Pause();
            await node.Output.WaitForAsync(l => l.Contains("did not answer a PING", StringComparison.Ordinal), Timeout);

            var refused = await ChatSockets.UpgradeAsync(node.Address, ChatApps.Path("hang", "bob"));
            Assert.Equal(503, refused.Status);
            await ann.SendMessageAsync("while it hangs", "h1");
            var error = await ann.ReceiveEventAsync();
            Assert.Equal(("error", "h1", "not-stored"), (error.Type, error.Cid, error.Outcome));   // refused at once, never sent
        }
        finally
        {
            redis.Resume();
        }
        await node.Output.WaitForAsync(l => l.Contains("is reachable again", StringComparison.Ordinal), Timeout);
        await ann.SendMessageAsync("while it hangs", "h1");
        var answers = await ann.ReceiveEventsAsync(2);
        Assert.Equal(2, answers.Single(e => e.Type == "ack").Id);
        Assert.Equal(("while it hangs", 2L), (answers.Single(e => e.Type == "message").Text!, answers.Single(e => e.Type == "message").Id!.Value));
        using var bob = await ChatSockets.ConnectAsync(node.Address, ChatApps.Path("hang", "bob"));
        Assert.Equal(3, (await bob.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "bob"))[^1].Id);
    }

    [Fact]
    public async Task An_append_in_flight_when_Redis_hangs_is_unknown_and_its_resend_after_is_acknowledged_with_the_id_it_got()
    {
        await using var redis = await RedisServer.StartAsync();
        // A deadline longer than the test: the health check stays quiet, so the message is sent to the paused Redis.
        await using var node = await DemoProcess.StartOnPortAsync(0, "kestrel", "--backplane", redis.Address, "--set", "HostKit:Chat:BackplaneDeadline=00:10:00");
        using var ann = await ChatSockets.ConnectAsync(node.Address, ChatApps.Path("inflight", "ann"));
        await ann.ReceiveEventAsync();                                      // 1 join
        try
        {
            redis.Pause();
            await ann.SendMessageAsync("sent into the hang", "f1");
            // StackExchange.Redis gives up after its command timeout (5 s); the script may still run, so: unknown.
            var error = await ann.ReceiveEventAsync();
            Assert.Equal(("error", "f1", "unknown"), (error.Type, error.Cid, error.Outcome));
        }
        finally
        {
            redis.Resume();
        }
        // Redis ran the queued script when it resumed: the message is stored (and delivered), once.
        var delivered = await ann.ReceiveEventAsync();
        Assert.Equal(("message", "sent into the hang", 2L), (delivered.Type, delivered.Text!, delivered.Id!.Value));
        await ann.SendMessageAsync("sent into the hang", "f1");
        var ack = await ann.ReceiveEventAsync();
        Assert.Equal(("ack", "f1", 2L), (ack.Type, ack.Cid, ack.Id!.Value));
        await ann.SendMessageAsync("next", "f2");
        Assert.Equal(3, (await ann.ReceiveUntilAsync(e => e.Type == "ack"))[^1].Id);
    }
}
