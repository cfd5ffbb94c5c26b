using System.Net.WebSockets;
using HostKit.Chat;
using HostKit.Testing;
using HostKit.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostKit.Tests.Chat;

/// <summary>The room logic in memory (TestClient): order, ids, history, resume and gaps, the member limits.</summary>
public class ChatRoomTests
{
    private static TestClient Client(ChatOptions? options = null, TimeProvider? time = null) =>
        new(ChatApps.Create(new ChatServer(options ?? ChatOptions.Default with { MaxMessagesPerSecond = 0 }, timeProvider: time)));

    [Fact]
    public async Task Members_see_joins_messages_and_leaves_in_one_order_with_ids_from_one()
    {
        await using var client = Client();
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        var annJoin = await ann.ReceiveEventAsync();
        Assert.Equal(("join", "lobby", "ann", 1L), (annJoin.Type, annJoin.Room, annJoin.Name, annJoin.Id!.Value));
        Assert.Null(annJoin.Text);

        using var bob = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob"));
        var bobFirst = await bob.ReceiveEventsAsync(2);
        Assert.Equal(annJoin.Raw, bobFirst[0].Raw); // the history: the very same event
        Assert.Equal(("join", "bob", 2L), (bobFirst[1].Type, bobFirst[1].Name!, bobFirst[1].Id!.Value));
        Assert.Equal(bobFirst[1].Raw, (await ann.ReceiveEventAsync()).Raw);

        await ann.SendTextAsync("hello, bob");
        var atAnn = await ann.ReceiveEventAsync();
        var atBob = await bob.ReceiveEventAsync();
        Assert.Equal(("message", "ann", "hello, bob", 3L), (atAnn.Type, atAnn.Name!, atAnn.Text!, atAnn.Id!.Value));
        Assert.Equal(atAnn.Raw, atBob.Raw);
        Assert.InRange(atAnn.Ts!.Value, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());

        await bob.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var leave = await ann.ReceiveEventAsync();
        Assert.Equal(("leave", "bob", 4L), (leave.Type, leave.Name!, leave.Id!.Value));
    }

    [Fact]
    public async Task Rooms_are_separate_and_each_counts_its_own_ids()
    {
        await using var client = Client();
        using var a = await client.ConnectWebSocketAsync(ChatApps.Path("a", "ann"));
        using var b = await client.ConnectWebSocketAsync(ChatApps.Path("b", "bob"));
        Assert.Equal(1, (await a.ReceiveEventAsync()).Id);
        Assert.Equal(1, (await b.ReceiveEventAsync()).Id);
        await a.SendTextAsync("only in a");
        var inA = await a.ReceiveEventAsync();
        await b.SendTextAsync("only in b");
        var inB = await b.ReceiveEventAsync();
        Assert.Equal(("a", "only in a", 2L), (inA.Room!, inA.Text!, inA.Id!.Value));
        Assert.Equal(("b", "only in b", 2L), (inB.Room!, inB.Text!, inB.Id!.Value));
    }

    [Fact]
    public async Task A_new_member_first_gets_the_latest_history_count()
    {
        await using var client = Client(ChatOptions.Default with { HistoryCount = 3, MaxMessagesPerSecond = 0 });
        using (var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann")))
        {
            await ann.ReceiveEventAsync();
            foreach (var text in new[] { "one", "two", "three", "four" })
                await ann.SendTextAsync(text);
            await ann.ReceiveUntilAsync(e => e.Text == "four");

            using var bob = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob"));
            var events = await bob.ReceiveEventsAsync(4);
            Assert.Equal(["two", "three", "four", null], events.Select(e => e.Text));
            events.AssertContiguousFrom(3);
            Assert.Equal(("join", "bob"), (events[3].Type, events[3].Name!));
        }
    }

    [Fact]
    public async Task Resuming_after_an_id_replays_what_is_newer_then_continues_live()
    {
        await using var client = Client();
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();                                    // 1 join ann
        using (var bob = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob")))
            await bob.ReceiveEventsAsync(2);                              // 2 join bob (bob has 1..2)
        await ann.ReceiveUntilAsync(e => e.Type == "leave");              // 3 leave bob
        await ann.SendTextAsync("while bob was away");                    // 4
        await ann.ReceiveUntilAsync(e => e.Text == "while bob was away");

        using var back = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob", after: 2));
        var replay = await back.ReceiveEventsAsync(3);
        replay.AssertContiguousFrom(3);
        Assert.Equal(["leave", "message", "join"], replay.Select(e => e.Type));
        await ann.SendTextAsync("welcome back");
        var live = await back.ReceiveEventAsync();
        Assert.Equal(("welcome back", 6L), (live.Text!, live.Id!.Value));
    }

    [Fact]
    public async Task Resuming_from_before_the_kept_history_starts_with_a_gap_notice()
    {
        await using var client = Client(ChatOptions.Default with { HistoryLimit = 4, HistoryCount = 4, MaxMessagesPerSecond = 0 });
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        for (var i = 2; i <= 10; i++)
            await ann.SendTextAsync($"m{i}");
        await ann.ReceiveUntilAsync(e => e.Text == "m10");               // the room keeps 7..10

        using var late = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "cat", after: 3));
        var gap = await late.ReceiveEventAsync();
        Assert.Equal(("gap", "lobby", 3L, 7L), (gap.Type, gap.Room!, gap.From!.Value, gap.To!.Value));
        Assert.Equal("""{"type":"gap","room":"lobby","from":3,"to":7}""", gap.Raw);
        var replay = await late.ReceiveEventsAsync(5);
        replay.AssertContiguousFrom(7);
        Assert.Equal("join", replay[^1].Type);

        // Exactly at the edge (cat's join made it 8..11; has 7): nothing was lost, so no gap.
        using var edge = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "dan", after: 7));
        Assert.Equal(8, (await edge.ReceiveEventAsync()).Id);
    }

    [Fact]
    public async Task Resuming_beyond_the_newest_id_gets_a_gap_and_the_kept_events_as_a_new_baseline()
    {
        await using var client = Client();
        // As after an in-memory restart: the room is empty, so the client's 41 means nothing here.
        using var fresh = await client.ConnectWebSocketAsync(ChatApps.Path("empty", "ann", after: 41));
        var gap = await fresh.ReceiveEventAsync();
        Assert.Equal(("gap", "empty", 41L, 1L), (gap.Type, gap.Room!, gap.From!.Value, gap.To!.Value));
        var join = await fresh.ReceiveEventAsync();
        Assert.Equal(("join", 1L), (join.Type, join.Id!.Value));

        // Beyond the newest of a room that has events: the gap, then everything the room keeps, then live.
        using var other = await client.ConnectWebSocketAsync(ChatApps.Path("empty", "bob", after: 99));
        var second = await other.ReceiveEventsAsync(3);
        Assert.Equal(("gap", 99L, 1L), (second[0].Type, second[0].From!.Value, second[0].To!.Value));
        second.Skip(1).ToList().AssertContiguousFrom(1);
        Assert.Equal(["ann", "bob"], second.Skip(1).Select(e => e.Name));
    }

    [Fact]
    public async Task A_binary_message_closes_with_1003()
    {
        await using var client = Client();
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        await ann.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await ann.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_message_of_4_KiB_is_fine_and_one_byte_more_closes_with_1009()
    {
        await using var client = Client();
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        await ann.SendTextAsync(new string('é', 2048));                  // 4096 UTF-8 bytes
        Assert.Equal(2048, (await ann.ReceiveEventAsync()).Text!.Length);
        await ann.SendTextAsync(new string('x', 4097));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await ann.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Over_the_rate_closes_with_1008_and_a_reason_and_the_bucket_refills_with_time()
    {
        var time = new FakeTimeProvider();
        await using var client = Client(ChatOptions.Default with { MaxMessagesPerSecond = 3 }, time);
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        for (var i = 0; i < 3; i++)
            await ann.SendTextAsync($"burst {i}");
        await ann.ReceiveUntilAsync(e => e.Text == "burst 2");
        time.Advance(TimeSpan.FromSeconds(0.5));                         // one and a half tokens
        await ann.SendTextAsync("refilled");
        Assert.Equal("refilled", (await ann.ReceiveEventAsync()).Text);
        await ann.SendTextAsync("one too many");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ann.ReceiveCloseAsync());
        Assert.Contains("rate limit", ann.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_carry_their_reason()
    {
        await using var client = Client(ChatOptions.Default with { Token = "s3cret" });
        var noToken = await Assert.ThrowsAsync<WebSocketUpgradeRefusedException>(() => client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann")));
        Assert.Equal(401, noToken.Status);
        var resume = await Assert.ThrowsAsync<WebSocketUpgradeRefusedException>(() => client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann", after: 3, token: "guess")));
        Assert.Equal(401, resume.Status);
        var badRoom = await Assert.ThrowsAsync<WebSocketUpgradeRefusedException>(() => client.ConnectWebSocketAsync(ChatApps.Path("no room", "ann", token: "s3cret")));
        Assert.Equal(400, badRoom.Status);
        Assert.Contains("room must be", badRoom.Body, StringComparison.Ordinal);
        using var fine = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann", token: "s3cret"));
        Assert.Equal("join", (await fine.ReceiveEventAsync()).Type);
    }
}
