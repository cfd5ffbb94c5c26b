using System.Net.WebSockets;
using System.Text;
using HostKit.Chat;
using HostKit.Hosts;
using HostKit.Testing;
using HostKit.Tests.Chat;
using HostKit.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostKit.Tests.Conformance;

/// <summary>The chat's protocol (docs/chat.md) on every host that serves websockets: the same app, the same assertions.</summary>
public class ChatConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.Network);

    private static Task<ServerUnderTest> StartAsync(string host, ChatOptions? options = null, TimeProvider? time = null, Func<ServerOptions, ServerOptions>? configure = null) =>
        ServerUnderTest.StartAsync(host, loggerFactory =>
            ChatApps.Create(new ChatServer(options ?? ChatOptions.Default with { MaxMessagesPerSecond = 0 }, loggerFactory: loggerFactory, timeProvider: time)), configure);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Join_message_and_leave_arrive_in_one_order_with_the_same_ids_for_everyone(string host)
    {
        await using var server = await StartAsync(host);
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        Assert.Equal(("join", "ann", 1L), Summary(await ann.ReceiveEventAsync()));
        using var bob = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob"));
        Assert.Equal([("join", "ann", 1L), ("join", "bob", 2L)], (await bob.ReceiveEventsAsync(2)).Select(Summary));
        Assert.Equal(("join", "bob", 2L), Summary(await ann.ReceiveEventAsync()));

        await bob.SendTextAsync("hi <ann> & \"all\" ✓");
        var atBob = await bob.ReceiveEventAsync();
        var atAnn = await ann.ReceiveEventAsync();
        Assert.Equal(atBob.Raw, atAnn.Raw);
        Assert.Equal(("message", "bob", 3L, "hi <ann> & \"all\" ✓"), (atAnn.Type, atAnn.Name!, atAnn.Id!.Value, atAnn.Text!));

        await bob.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(("leave", "bob", 4L), Summary(await ann.ReceiveEventAsync()));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Resuming_with_after_while_the_room_talks_misses_nothing_and_repeats_nothing(string host)
    {
        const int Messages = 150;
        await using var server = await StartAsync(host);
        using var talker = await server.ConnectWebSocketAsync(ChatApps.Path("busy", "talker"));
        var talkerHeard = Task.Run(() => talker.ReceiveUntilAsync(e => e.Text == $"{Messages - 1}"));
        using (var first = await server.ConnectWebSocketAsync(ChatApps.Path("busy", "reader")))
        {
            var joined = await first.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "reader");
            var talking = Task.Run(async () =>
            {
                for (var i = 0; i < Messages; i++)
                    await talker.SendTextAsync($"{i}");
            });
            // Read a part of the conversation, leave in the middle of it, and come back while it goes on.
            var before = joined.Concat(await first.ReceiveUntilAsync(e => e.Text == "40")).ToList();
            var lastId = before[^1].Id!.Value;
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);

            using var again = await server.ConnectWebSocketAsync(ChatApps.Path("busy", "reader", after: lastId));
            // Until the last message, the first connection's leave and the second's join are in (any order).
            var after = new List<ReceivedEvent>();
            while (!(after.Any(e => e.Text == $"{Messages - 1}") && after.Any(e => e.Type == "leave") && after.Any(e => e.Type == "join")))
                after.Add(await again.ReceiveEventAsync());
            after.AssertContiguousFrom(lastId + 1);
            var texts = before.Concat(after).Where(e => e.Type == "message").Select(e => e.Text).ToList();
            Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"{i}"), texts);
            await talking.WaitAsync(Timeout);
        }
        (await talkerHeard.WaitAsync(Timeout)).AssertContiguousFrom(1);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_resume_the_room_cannot_serve_whole_starts_with_a_gap(string host)
    {
        await using var server = await StartAsync(host, ChatOptions.Default with { HistoryLimit = 3, HistoryCount = 3, MaxMessagesPerSecond = 0 });
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        for (var i = 2; i <= 6; i++)
            await ann.SendTextAsync($"m{i}");
        await ann.ReceiveUntilAsync(e => e.Text == "m6");                   // kept: 4..6

        using var late = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "cat", after: 1));
        var events = await late.ReceiveEventsAsync(5);
        Assert.Equal(("gap", "lobby", 1L, 4L), (events[0].Type, events[0].Room!, events[0].From!.Value, events[0].To!.Value));
        events.Skip(1).ToList().AssertContiguousFrom(4);                     // 4, 5, 6, then cat's join 7

        using var lost = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "dan", after: 1000));  // as after a restart
        var gap = await lost.ReceiveEventAsync();
        var next = await lost.ReceiveEventAsync();
        Assert.Equal(("gap", 1000L), (gap.Type, gap.From!.Value));
        Assert.Equal(gap.To, next.Id);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Refusals_come_before_the_upgrade_400_for_a_bad_query_401_without_the_token(string host)
    {
        await using var server = await StartAsync(host, ChatOptions.Default with { Tokens = ["t0k3n"] });
        Assert.Equal(401, (await UpgradeAsync(server, ChatApps.Path("lobby", "ann"))).Status);
        Assert.Equal(401, (await UpgradeAsync(server, ChatApps.Path("lobby", "ann", after: 7, token: "guess"))).Status);
        var bad = await UpgradeAsync(server, ChatApps.Path("lobby", new string('n', 33), token: "t0k3n"));
        Assert.Equal(400, bad.Status);
        Assert.Contains("name must be 1 to 32 printable characters", bad.Body, StringComparison.Ordinal);
        Assert.Equal(101, (await UpgradeAsync(server, ChatApps.Path("lobby", "ann", after: 0, token: "t0k3n"))).Status);
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_page_from_a_foreign_origin_is_403_and_one_from_the_server_itself_is_accepted(string host)
    {
        await using var server = await StartAsync(host);
        var foreign = await UpgradeAsync(server, ChatApps.Path("lobby", "ann"), origin: "http://evil.example");
        Assert.Equal(403, foreign.Status);
        Assert.Contains("http://evil.example", foreign.Body, StringComparison.Ordinal);
        Assert.Equal(101, (await UpgradeAsync(server, ChatApps.Path("lobby", "ann"), origin: $"http://{server.Address.Authority}")).Status);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_binary_message_closes_with_1003(string host)
    {
        await using var server = await StartAsync(host);
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        await ann.SendAsync(new byte[] { 0x68, 0x69 }, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await ann.ReceiveCloseAsync());
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_text_over_4_KiB_closes_with_1009(string host)
    {
        await using var server = await StartAsync(host);
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveEventAsync();
        await ann.SendTextAsync(new string('x', 4096));
        Assert.Equal(4096, (await ann.ReceiveEventAsync()).Text!.Length);
        await ann.SendTextAsync(new string('x', 4097));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await ann.ReceiveCloseAsync());
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Over_the_rate_limit_a_message_is_refused_and_only_sustained_abuse_closes_with_1008_saying_how_many_were_not_stored(string host)
    {
        // The clock never moves, so the bucket never refills: exactly 2 messages go through, whatever the machine's speed;
        // the next 10 (5 seconds' worth) are refused one by one, and the 11th refusal closes the connection.
        await using var server = await StartAsync(host, ChatOptions.Default with { MaxMessagesPerSecond = 2 }, new FakeTimeProvider());
        using var bob = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob"));
        await bob.ReceiveEventAsync();                                      // bob's join, before ann's (joins race otherwise)
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await bob.ReceiveUntilAsync(e => e.Name == "ann");
        for (var i = 0; i < 13; i++)
            await ann.SendMessageAsync($"m{i}", $"c{i}");
        var atAnn = await ann.ReceiveUntilCloseAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ann.CloseStatus);
        Assert.Equal("rate limit: over 2 messages per second; 11 messages not stored", ann.CloseStatusDescription);
        Assert.Equal(["c0", "c1"], atAnn.Where(e => e.Type == "ack").Select(e => e.Cid));
        var errors = atAnn.Where(e => e.Type == "error").ToList();
        Assert.Equal(Enumerable.Range(2, 10).Select(i => $"c{i}"), errors.Select(e => e.Cid));
        Assert.All(errors, e => Assert.Equal(("not-stored", "the message was not stored: over 2 messages per second"), (e.Outcome, e.Reason)));
        await ann.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout); // answer it, as a browser does
        // The room got the two within the limit, never the others.
        Assert.Equal([("message", "m0"), ("message", "m1"), ("leave", null)], (await bob.ReceiveEventsAsync(3)).Select(e => (e.Type, e.Text)));
        await server.Log.WaitForAsync(e => e.EventId.Id == 102);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_member_that_stops_reading_is_closed_with_1013_while_the_room_keeps_flowing(string host)
    {
        // Small send queues so the stall shows soon; long close timeouts so the stalled client can still read its 1013.
        await using var server = await StartAsync(host, ChatOptions.Default with { MaxMessagesPerSecond = 0, SlowMemberCloseTimeout = TimeSpan.FromMinutes(2) }, configure: o => o with
        {
            WebSockets = o.WebSockets with { MaxBufferedMessages = 8, MaxBufferedBytes = 32 * 1024, CloseTimeout = TimeSpan.FromMinutes(2) },
        });
        using var stalled = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "sleepy"));   // never reads, until the end
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        using var bob = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "bob"));
        var annEvents = await ann.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "bob");
        var bobEvents = await bob.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "bob");
        var text = new string('z', 4000);

        // Talk until the server gives up on the sleeper (socket buffers take megabytes first), then a little more:
        // every message reaches ann and bob, in order, each time before the next one is sent.
        var extra = -1;
        for (var i = 0; i < 20_000 && extra < 5; i++)
        {
            await ann.SendTextAsync($"{i} {text}");
            annEvents.AddRange(await ann.ReceiveUntilAsync(e => e.Text?.StartsWith($"{i} ", StringComparison.Ordinal) == true));
            bobEvents.AddRange(await bob.ReceiveUntilAsync(e => e.Text?.StartsWith($"{i} ", StringComparison.Ordinal) == true));
            if (extra >= 0 || server.Log.Entries.Any(e => e.EventId.Id == 101))
                extra++;
        }
        Assert.True(extra >= 5, "the stalled member was never closed");
        Assert.Contains(server.Log.Entries, e => e.EventId.Id == 101 && e.Message.Contains("'sleepy'", StringComparison.Ordinal));
        annEvents.AssertContiguousFrom(1);                                   // from the history: sleepy's join is 1
        bobEvents.AssertContiguousFrom(1);

        // The sleeper wakes up: what it was sent arrives whole and in order, then the close with 1013.
        var slept = new List<ReceivedEvent>();
        while (true)
        {
            var (type, data) = await stalled.ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
                break;
            slept.Add(ReceivedEvent.Parse(Encoding.UTF8.GetString(data)));
        }
        Assert.Equal((WebSocketCloseStatus)1013, stalled.CloseStatus);
        slept.AssertContiguousFrom(1);
        Assert.True(slept.Count < annEvents.Count, "the sleeper should have missed the end of the conversation");

        // It answers the close, as a browser does, and the room hears it leave.
        await stalled.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        await ann.ReceiveUntilAsync(e => e.Type == "leave" && e.Name == "sleepy").WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_member_that_never_reads_again_is_dropped_at_the_1013_deadline_and_the_room_hears_its_leave(string host)
    {
        // The websocket close timeout is long, so only the chat's deadline for the 1013 (1 s) can end the stalled
        // connection within this test's wait; small send queues and a small client receive buffer make the stall show soon.
        await using var server = await StartAsync(host, ChatOptions.Default with { MaxMessagesPerSecond = 0, SlowMemberCloseTimeout = TimeSpan.FromSeconds(1) }, configure: o => o with
        {
            WebSockets = o.WebSockets with { MaxBufferedMessages = 8, MaxBufferedBytes = 32 * 1024, CloseTimeout = TimeSpan.FromMinutes(2), KeepAliveInterval = TimeSpan.Zero },
        });
        await using var stalled = await RawWebSocketClient.ConnectAsync(server.Address, ChatApps.Path("lobby", "sleepy"), receiveBufferBytes: 4096);
        using var ann = await server.ConnectWebSocketAsync(ChatApps.Path("lobby", "ann"));
        await ann.ReceiveUntilAsync(e => e.Type == "join" && e.Name == "ann");
        var text = new string('z', 4000);

        // Talk until the server gives up on the sleeper, which never reads a byte.
        for (var i = 0; i < 20_000 && !server.Log.Entries.Any(e => e.EventId.Id == 101); i++)
        {
            await ann.SendTextAsync($"{i} {text}");
            await ann.ReceiveUntilAsync(e => e.Text?.StartsWith($"{i} ", StringComparison.Ordinal) == true);
        }
        Assert.Contains(server.Log.Entries, e => e.EventId.Id == 101 && e.Message.Contains("'sleepy'", StringComparison.Ordinal));

        // Its 1013 cannot get past the full socket buffers, so the connection is dropped at the deadline, and the room
        // hears the leave long before the two-minute close timeout could have ended it.
        await ann.ReceiveUntilAsync(e => e.Type == "leave" && e.Name == "sleepy").WaitAsync(Timeout);

        // What the sleeper reads when it wakes: the events that were in its socket buffers, in order, the last perhaps
        // cut off, then the end of the connection with no close frame (a browser reports 1006).
        var (frames, _) = await stalled.ReadUntilDroppedAsync(Timeout);
        Assert.DoesNotContain(frames, f => f.Opcode == 0x8);
        var slept = frames.Select(f => ReceivedEvent.Parse(Encoding.UTF8.GetString(f.Payload))).ToList();
        Assert.NotEmpty(slept);
        slept.AssertContiguousFrom(1);                                       // from the history: sleepy's join is 1
    }

    private static (string, string, long) Summary(ReceivedEvent e) => (e.Type, e.Name!, e.Id!.Value);

    /// <summary>A websocket handshake to <paramref name="pathAndQuery"/>: 101 when accepted, else the status and body the app refused with.</summary>
    private static async Task<(int Status, string Body)> UpgradeAsync(ServerUnderTest server, string pathAndQuery, string? origin = null)
    {
        if (server.Server is InMemoryServer memory)
        {
            try
            {
                using var accepted = await memory.Client.ConnectWebSocketAsync(pathAndQuery).WaitAsync(Timeout);
                return (101, "");
            }
            catch (WebSocketUpgradeRefusedException refused)
            {
                return (refused.Status, refused.Body);
            }
        }
        await using var connection = await server.OpenConnectionAsync();
        await connection.SendAsync($"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{(origin is null ? "" : $"Origin: {origin}\r\n")}\r\n");
        var response = await connection.ReadResponseAsync();
        return (response.Status, response.Text);
    }
}
