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
        // The history: the very same event, but for the "you" that only a member's own copy of its join carries.
        Assert.True(annJoin.You);
        Assert.Equal(annJoin.Raw.Replace(""","you":true""", "", StringComparison.Ordinal), bobFirst[0].Raw);
        Assert.Equal(("join", "bob", 2L), (bobFirst[1].Type, bobFirst[1].Name!, bobFirst[1].Id!.Value));
        Assert.Equal(bobFirst[1].Raw.Replace(""","you":true""", "", StringComparison.Ordinal), (await ann.ReceiveEventAsync()).Raw);

        await ann.SendTextAsync("hello, bob");
        var atAnn = await ann.ReceiveEventAsync();
        var atBob = await bob.ReceiveEventAsync();
        Assert.Equal(("message", "ann", "hello, bob", 3L), (atAnn.Type, atAnn.Name!, atAnn.Text!, atAnn.Id!.Value));
        Assert.Equal(atAnn.Raw, atBob.Raw);
        Assert.Equal(annJoin.Member, atAnn.Member);                                 // the connection that spoke
        Assert.InRange(atAnn.Ts!.Value, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());

        await bob.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var leave = await ann.ReceiveEventAsync();
        Assert.Equal(("leave", "bob", 4L, bobFirst[1].Member), (leave.Type, leave.Name!, leave.Id!.Value, leave.Member));
        Assert.NotEqual(annJoin.Member, bobFirst[1].Member);
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
    public async Task Resuming_with_the_epoch_of_an_earlier_incarnation_gets_a_reset_even_when_the_new_room_has_passed_the_id()
    {
        List<ReceivedEvent> before;
        await using (var first = Client())
        {
            using var ann = await first.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
            await ann.SendTextAsync("in the first life");
            before = await ann.ReceiveEventsAsync(2);                     // 1 join, 2 message
        }
        var oldEpoch = before[^1].Epoch!;
        Assert.All(before, e => Assert.Equal(oldEpoch, e.Epoch));

        // The server restarted (a new in-memory backplane) and its room has already gone past id 2.
        await using var second = Client();
        using (var bob = await second.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob")))
        {
            for (var i = 0; i < 5; i++)
                await bob.SendTextAsync($"second life {i}");
            await bob.ReceiveUntilAsync(e => e.Text == "second life 4");  // ids 1..6
        }

        using var back = await second.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann", after: 2) + "&epoch=" + oldEpoch);
        var gap = await back.ReceiveEventAsync();
        Assert.Equal("""{"type":"gap","room":"lobby","from":2,"to":1,"reset":true}""", gap.Raw);
        var replay = await back.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "ann");
        replay.AssertContiguousFrom(1);
        Assert.All(replay, e => Assert.NotEqual(oldEpoch, e.Epoch));

        // A client that sends no epoch cannot be checked: its id is within the new room's, so it resumes from there.
        // (docs/chat.md says so; that is why clients send the epoch.)
        using var old = await second.ConnectWebSocketAsync(ChatApps.Path("lobby", "cat", after: 2));
        Assert.Equal(3, (await old.ReceiveEventAsync()).Id);
    }

    [Fact]
    public async Task Resuming_with_the_rooms_own_epoch_is_an_ordinary_resume()
    {
        await using var client = Client();
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        var join = await ann.ReceiveEventAsync();
        using var bob = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob", after: 1) + "&epoch=" + join.Epoch);
        var bobJoin = await bob.ReceiveEventAsync();
        Assert.Equal(("join", 2L, join.Epoch), (bobJoin.Type, bobJoin.Id!.Value, bobJoin.Epoch));
        var refused = await Assert.ThrowsAsync<WebSocketUpgradeRefusedException>(() => client.ConnectWebSocketAsync(ChatApps.Path("lobby", "cat") + "&epoch=" + join.Epoch));
        Assert.Equal(400, refused.Status);
        Assert.Contains("epoch must come with after", refused.Body, StringComparison.Ordinal);
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
    public async Task Over_the_rate_a_message_is_refused_and_the_bucket_refills_with_time()
    {
        var time = new FakeTimeProvider();
        await using var client = Client(ChatOptions.Default with { MaxMessagesPerSecond = 3 }, time);
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        for (var i = 0; i < 3; i++)
            await ann.SendTextAsync($"burst {i}");
        await ann.ReceiveUntilAsync(e => e.Text == "burst 2");
        await ann.SendMessageAsync("one too many", "c1");
        var refused = await ann.ReceiveEventAsync();
        Assert.Equal(("error", "c1", "not-stored"), (refused.Type, refused.Cid, refused.Outcome));
        await ann.SendTextAsync("plain, one too many");
        var plain = await ann.ReceiveEventAsync();
        Assert.Equal(("error", null, "not-stored"), (plain.Type, plain.Cid, plain.Outcome));
        time.Advance(TimeSpan.FromSeconds(0.5));                         // one and a half tokens
        await ann.SendMessageAsync("refilled", "c2");
        var stored = await ann.ReceiveEventsAsync(2);
        Assert.Equal([null, "refilled"], stored.Select(e => e.Text).Order());
        Assert.Equal(stored.Single(e => e.Type == "message").Id, stored.Single(e => e.Type == "ack" && e.Cid == "c2").Id);
    }

    [Fact]
    public async Task Messages_that_arrive_at_an_honest_rate_are_judged_by_their_arrival_not_by_when_they_are_stored()
    {
        // The backplane stalls (as Redis paused would); the member keeps sending 1 message per simulated 0.2 s, 40 of them.
        // They queue while the appends wait, and are stored as a burst later: none is refused, because each arrived in time.
        var time = new StampCountingTimeProvider();
        var backplane = new ScriptedBackplane();
        var stall = new TaskCompletionSource();
        await using var client = new TestClient(ChatApps.Create(new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 10 }, backplane, timeProvider: time)));
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        backplane.HoldAppendsUntil = stall.Task;
        for (var i = 0; i < 40; i++)
        {
            await ann.SendMessageAsync($"m{i}", $"c{i}");
            await time.WaitForStampAsync();                              // read and stamped, while the first append still waits
            time.Advance(TimeSpan.FromSeconds(0.2));
        }
        stall.SetResult();
        var events = await ann.ReceiveEventsAsync(80);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"c{i}"), events.Where(e => e.Type == "ack").Select(e => e.Cid));
        Assert.DoesNotContain(events, e => e.Type == "error");
    }

    [Fact]
    public async Task A_message_with_a_cid_is_acknowledged_with_its_id_and_a_resend_is_stored_once()
    {
        await using var client = Client();
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();                                    // 1 join
        await ann.SendMessageAsync("hello", "ann-1");
        var first = await ann.ReceiveEventsAsync(2);
        var ack = first.Single(e => e.Type == "ack");
        Assert.Equal(("ann-1", 2L), (ack.Cid, ack.Id!.Value));
        Assert.Equal(("hello", 2L), (first.Single(e => e.Type == "message").Text, first.Single(e => e.Type == "message").Id!.Value));
        // The ack names the log the id belongs to, as the event does: a client can tell its message's place after a reset.
        var epoch = first.Single(e => e.Type == "message").Epoch;
        Assert.NotNull(epoch);
        Assert.Equal($$"""{"type":"ack","room":"lobby","cid":"ann-1","id":2,"epoch":"{{epoch}}"}""", ack.Raw);

        // The same cid again, from a new connection (as after a reconnect): acknowledged with the first id, nothing stored.
        using var again = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann", after: 2));
        await again.ReceiveUntilAsync(e => e.Type == "join");            // 3 join
        await again.SendMessageAsync("hello", "ann-1");
        Assert.Equal(("ack", "ann-1", 2L), Summary(await again.ReceiveEventAsync()));
        // Another sender may use the same cid: cids are per sender.
        using var bob = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob", after: 3));
        await bob.ReceiveUntilAsync(e => e.Type == "join");              // 4 join
        await bob.SendMessageAsync("mine", "ann-1");
        var bobs = await bob.ReceiveEventsAsync(2);
        Assert.Equal(5, bobs.Single(e => e.Type == "ack").Id);
        Assert.Equal(("message", "mine", 5L), (bobs.Single(e => e.Type == "message").Type, bobs.Single(e => e.Type == "message").Text, bobs.Single(e => e.Type == "message").Id!.Value));

        // Plain text and JSON that is not a message envelope are plain text, with no ack; a malformed cid is refused.
        await bob.SendTextAsync("""{"text":"just braces"}""");
        Assert.Equal("""{"text":"just braces"}""", (await bob.ReceiveEventAsync()).Text);
        await bob.SendTextAsync("""{"type":"message","text":"x","cid":"has space"}""");
        var bad = await bob.ReceiveEventAsync();
        Assert.Equal(("error", null, "not-stored"), (bad.Type, bad.Cid, bad.Outcome));
        Assert.Contains("cid", bad.Reason, StringComparison.Ordinal);

        static (string, string?, long) Summary(ReceivedEvent e) => (e.Type, e.Cid, e.Id!.Value);
    }

    [Fact]
    public async Task A_resend_refused_while_its_first_copy_is_still_being_stored_is_unknown_never_a_false_not_stored()
    {
        // A client that resends before the first copy's answer came (the Redis-restart fault test did) must never be told
        // "not stored" about a message that is then acknowledged: the refusal of the copy proves nothing about the first.
        var backplane = new ScriptedBackplane();
        var stall = new TaskCompletionSource();
        await using var client = new TestClient(ChatApps.Create(new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 1 }, backplane, timeProvider: new FakeTimeProvider())));
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();                                    // 1 join
        backplane.HoldAppendsUntil = stall.Task;
        await ann.SendMessageAsync("once", "r1");                         // takes the one token, then waits for the backplane
        await ann.SendMessageAsync("once", "r1");                         // over the rate while the first copy is being stored
        Assert.Equal(("error", "r1", "unknown"), Outcome(await ann.ReceiveEventAsync()));
        await ann.SendMessageAsync("other", "r2");                        // over the rate with no copy pending: not stored
        Assert.Equal(("error", "r2", "not-stored"), Outcome(await ann.ReceiveEventAsync()));

        stall.SetResult();
        var stored = await ann.ReceiveEventsAsync(2);
        Assert.Equal(("ack", "r1", 2L), (stored.Single(e => e.Type == "ack").Type, stored.Single(e => e.Type == "ack").Cid, stored.Single(e => e.Type == "ack").Id!.Value));
        Assert.Equal(("once", 2L), (stored.Single(e => e.Type == "message").Text, stored.Single(e => e.Type == "message").Id!.Value));

        static (string, string?, string?) Outcome(ReceivedEvent e) => (e.Type, e.Cid, e.Outcome);
    }

    [Fact]
    public async Task A_lost_answer_says_the_outcome_is_unknown_and_a_resend_settles_it_without_a_duplicate()
    {
        var backplane = new ScriptedBackplane();
        await using var client = new TestClient(ChatApps.Create(new ChatServer(ChatOptions.Default with { MaxMessagesPerSecond = 0 }, backplane)));
        using var ann = await client.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();                                    // 1 join

        backplane.LoseAnswers = true;                                     // stored, but the answer is lost (a Redis timeout)
        await ann.SendMessageAsync("did it arrive?", "q1");
        var answers = await ann.ReceiveEventsAsync(2);
        var unknown = answers.Single(e => e.Type == "error");
        Assert.Equal(("q1", "unknown"), (unknown.Cid, unknown.Outcome));
        Assert.Equal(2, answers.Single(e => e.Type == "message").Id);     // it was stored after all

        // While the backplane refuses, a resend is refused too, but that proves nothing about the first try: still unknown.
        backplane.LoseAnswers = false;
        backplane.FailAppends = false;
        await ann.SendMessageAsync("did it arrive?", "q1");
        Assert.Equal(("error", "q1", "unknown"), Outcome(await ann.ReceiveEventAsync()));
        await ann.SendMessageAsync("new one", "q2");
        Assert.Equal(("error", "q2", "not-stored"), Outcome(await ann.ReceiveEventAsync()));

        backplane.FailAppends = null;
        await ann.SendMessageAsync("did it arrive?", "q1");
        var settled = await ann.ReceiveEventAsync();
        Assert.Equal(("ack", "q1", 2L), (settled.Type, settled.Cid, settled.Id!.Value));
        await ann.SendMessageAsync("next", "q3");
        var next = await ann.ReceiveEventsAsync(2);
        Assert.Equal(3, next.Single(e => e.Type == "ack").Id);            // nothing was stored twice

        static (string, string?, string?) Outcome(ReceivedEvent e) => (e.Type, e.Cid, e.Outcome);
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
