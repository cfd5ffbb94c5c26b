using System.Net.WebSockets;
using HostKit.Chat;
using HostKit.Testing;
using HostKit.Tests.Support;

namespace HostKit.Tests.Chat;

/// <summary>
/// The seam between history and live, against a backplane that interleaves adversarially: events stored in the
/// middle of a history read, a feed that repeats, replays old events, lags or drops one. Whatever the backplane does,
/// a member gets each id once, in order, and is told of a hole instead of silently missing it.
/// </summary>
public class ChatSeamTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(ScriptedBackplane Backplane, TestClient Client, WebSocket Ann)> StartWithFiveEventsAsync(ScriptedBackplane? backplane = null)
    {
        backplane ??= new ScriptedBackplane();
        var client = new TestClient(ChatApps.Create(new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 0 }, backplane)));
        var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));  // 1
        for (var i = 2; i <= 5; i++)
            await backplane.PostAsync("lobby", "zed", $"m{i}");
        await ann.ReceiveUntilAsync(e => e.Id == 5);
        return (backplane, client, ann);
    }

    [Fact]
    public async Task Events_stored_during_the_history_read_arrive_once_and_in_order()
    {
        var (backplane, client, ann) = await StartWithFiveEventsAsync();
        await using (client)
        using (ann)
        {
            // Repeats and re-deliveries everywhere: the feed sends each event twice and replays the old ones.
            backplane.Deliver = e => [e, e];
            backplane.BeforeRead = async () => { await backplane.PostAsync("lobby", "zed", "m6"); await backplane.PostAsync("lobby", "zed", "m7"); };
            backplane.AfterRead = async () => { await backplane.PostAsync("lobby", "zed", "m8"); await backplane.PostAsync("lobby", "zed", "m9"); };
            // (The hooks stay: bob's history is read after the handshake, and nobody else reads one in this test.)
            using var bob = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob", after: 2));

            var events = await bob.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "bob");
            events.AssertContiguousFrom(3);                                  // 3..9, then bob's join as 10
            Assert.Equal(10, events[^1].Id);
            await backplane.PostAsync("lobby", "zed", "after the seam");
            var live = await bob.ReceiveEventAsync();
            Assert.Equal(("after the seam", 11L), (live.Text!, live.Id!.Value));
        }
    }

    [Fact]
    public async Task A_feed_that_replays_old_events_at_subscribe_is_deduplicated()
    {
        var backplane = new ScriptedBackplane { ReplayOldEventsOnSubscribe = true };
        await using var client = new TestClient(ChatApps.Create(new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 0 }, backplane)));
        for (var i = 1; i <= 5; i++)
            await backplane.PostAsync("lobby", "zed", $"m{i}");              // stored elsewhere; no subscription here yet

        // Bob's join subscribes the room, and the feed starts by re-delivering 1..5 while he reads 5 from the history.
        using var bob = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob", after: 4));
        var events = await bob.ReceiveUntilAsync(e => e.Type == "join");
        events.AssertContiguousFrom(5);
        Assert.Equal(["m5", null], events.Select(e => e.Text));
    }

    [Fact]
    public async Task A_lagging_feed_that_delivers_after_the_history_is_read_adds_nothing_twice()
    {
        var backplane = new ScriptedBackplane();
        var release = new TaskCompletionSource();
        backplane.HoldFeedUntil = release.Task;
        await using var client = new TestClient(ChatApps.Create(new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 0 }, backplane)));
        for (var i = 1; i <= 3; i++)
            await backplane.PostAsync("lobby", "zed", $"m{i}");

        // The feed holds everything back: bob gets the history (1..3); his own join and m5 (4 and 5, in either order) wait in the feed.
        var connecting = client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob", after: 0));
        using var bob = await connecting.WaitAsync(Timeout);
        var history = await bob.ReceiveEventsAsync(3);
        history.AssertContiguousFrom(1);
        await backplane.PostAsync("lobby", "zed", "m5");
        release.SetResult();                                                 // now 4 and 5 arrive, late
        var rest = await bob.ReceiveEventsAsync(2);
        rest.AssertContiguousFrom(4);
        Assert.Equal(["join", "m5"], rest.Select(e => e.Text ?? e.Type).Order());
    }

    [Fact]
    public async Task An_event_the_feed_loses_is_announced_as_a_gap_not_skipped_silently()
    {
        var (backplane, client, ann) = await StartWithFiveEventsAsync();
        await using (client)
        using (ann)
        {
            backplane.Deliver = e => e.Text == "lost" ? [] : [e];
            await backplane.PostAsync("lobby", "zed", "lost");              // 6
            await backplane.PostAsync("lobby", "zed", "found");             // 7
            var gap = await ann.ReceiveEventAsync();
            Assert.Equal(("gap", 5L, 7L), (gap.Type, gap.From!.Value, gap.To!.Value));
            Assert.Equal(("found", 7L), ((await ann.ReceiveEventAsync()).Text!, 7L));
        }
    }

    [Fact]
    public async Task An_unreachable_backplane_refuses_new_members_with_503_and_a_refused_message_is_an_error_event()
    {
        var (backplane, client, ann) = await StartWithFiveEventsAsync();
        await using (client)
        using (ann)
        {
            backplane.IsAvailable = false;
            var refused = await Assert.ThrowsAsync<WebSocketUpgradeRefusedException>(() => client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob")));
            Assert.Equal(503, refused.Status);

            backplane.RefuseAppends = true;
            await ann.SendTextAsync("into the void");
            var error = await ann.ReceiveEventAsync();
            Assert.Equal(("error", "lobby"), (error.Type, error.Room!));
            Assert.Contains("not stored", error.Reason, StringComparison.Ordinal);

            backplane.RefuseAppends = false;                                // back: the connection still works
            await ann.SendTextAsync("stored");
            Assert.Equal(("stored", 6L), ((await ann.ReceiveEventAsync()).Text!, 6L));
        }
    }

    [Fact]
    public async Task A_failing_feed_closes_the_rooms_members_with_1011()
    {
        var (backplane, client, ann) = await StartWithFiveEventsAsync();
        await using (client)
        using (ann)
        {
            lock (backplane.Feeds)
                backplane.Feeds.ForEach(f => f.TryComplete(new IOException("connection to the backplane lost")));
            Assert.Equal(WebSocketCloseStatus.InternalServerError, await ann.ReceiveCloseAsync());

            // The next member gets a fresh subscription, and resumes where the log is.
            using var back = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann", after: 5));
            var events = await back.ReceiveUntilAsync(e => e.Type == "join");
            events.AssertContiguousFrom(6);
        }
    }
}
