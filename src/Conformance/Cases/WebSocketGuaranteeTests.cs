using System.Buffers.Binary;
using System.Net.WebSockets;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// The websocket contract's guarantees (docs/websockets.md) on every host: safe concurrent sends,
/// a bounded send buffer, dead-peer detection, and defined behaviour after close.
/// Each case drives the server's own <see cref="IWebSocket"/>, taken from the /ws/hold route.
/// </summary>
public abstract class WebSocketGuaranteeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets);

    public static TheoryData<string> KeepAliveHosts =>
        ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.WebSocketKeepAliveTimeout | HostCapabilities.Network);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Concurrent_sends_arrive_whole_and_in_per_task_order(string host)
    {
        const int Tasks = 64, PerTask = 200;
        await using var server = await ServerUnderTest.StartAsync(host);
        using var client = await server.ConnectWebSocketAsync("/ws/hold");
        var socket = await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        var sending = Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            for (var seq = 0; seq < PerTask; seq++)
                await socket.SendAsync(WebSocketMessage.FromBinary(Payload(task, seq)));
        })));

        var next = new int[Tasks];
        for (var i = 0; i < Tasks * PerTask; i++)
        {
            var (type, data) = await client.ReceiveMessageAsync();
            Assert.Equal(WebSocketMessageType.Binary, type);
            var task = BinaryPrimitives.ReadInt32LittleEndian(data);
            var seq = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
            Assert.Equal(next[task]++, seq);
            Assert.Equal(Payload(task, seq), data);
        }
        await sending.WaitAsync(Timeout);
        Assert.All(next, count => Assert.Equal(PerTask, count));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_client_that_stops_reading_fills_a_bounded_buffer_and_others_are_unaffected(string host)
    {
        const int Limit = 1024 * 1024;
        await using var server = await ServerUnderTest.StartAsync(host, o => o with
        {
            WebSockets = o.WebSockets with { MaxBufferedBytes = Limit, MaxBufferedMessages = 100_000 },
        });
        using var stalled = await server.ConnectWebSocketAsync("/ws/hold");
        var socket = await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        var message = WebSocketMessage.FromBinary(new byte[64 * 1024]);
        var accepted = 0;
        long? bufferedWhenRefused = null;
        // Socket buffers absorb a few MiB before the server's own queue fills; 2,000 x 64 KiB is far more than that.
        for (var i = 0; i < 2000 && bufferedWhenRefused is null; i++)
        {
            // Only this test queues on the socket, so between two of its calls BufferedBytes can only fall
            // (the writer keeps draining into the kernel). The value read just before a refused TrySend is
            // therefore at least what the socket saw when it refused: that is the bound to assert, not a
            // value read afterwards, which races the drain.
            var before = socket.BufferedBytes;
            Assert.True(before <= Limit + message.Data.Length, $"buffered {before} bytes");
            if (socket.TrySend(message))
                accepted++;
            else
                bufferedWhenRefused = before;
            if (i % 16 == 0)
                await Task.Delay(5);
        }
        Assert.True(bufferedWhenRefused is not null, $"TrySend never reported a full buffer after {accepted} messages");
        Assert.InRange(bufferedWhenRefused.Value, Limit - message.Data.Length + 1, Limit + message.Data.Length);
        Assert.True(socket.BufferedBytes <= Limit + message.Data.Length, $"buffered {socket.BufferedBytes} bytes after the refusal");

        using var other = await server.ConnectWebSocketAsync("/ws/echo");
        await other.SendTextAsync("unaffected");
        Assert.Equal("unaffected", await other.ReceiveTextAsync());
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_client_that_stops_reading_makes_SendAsync_wait_within_the_bounded_buffer(string host)
    {
        const int Limit = 1024 * 1024;
        await using var server = await ServerUnderTest.StartAsync(host, o => o with
        {
            WebSockets = o.WebSockets with { MaxBufferedBytes = Limit, MaxBufferedMessages = 100_000 },
        });
        using var stalled = await server.ConnectWebSocketAsync("/ws/hold");
        var socket = await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        var message = WebSocketMessage.FromBinary(new byte[64 * 1024]);

        // 128 MiB: far more than socket buffers absorb, so most of these sends must wait for room.
        var sends = Enumerable.Range(0, 2048).Select(_ => socket.SendAsync(message).AsTask()).ToList();

        // The bound holds at every instant, whatever the writer has drained by now.
        Assert.True(socket.BufferedBytes <= Limit + message.Data.Length, $"buffered {socket.BufferedBytes} bytes");
        Assert.Contains(sends, send => !send.IsCompleted);
        socket.Abort();

        // Every send but the one the engine is writing fails at once; that one ends when the engine gives up its write.
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = sends.Count;
        foreach (var send in sends)
            _ = send.ContinueWith(_ => { if (Interlocked.Decrement(ref pending) <= 1) settled.TrySetResult(); }, TaskScheduler.Default);
        await settled.Task.WaitAsync(Timeout);
        var refused = sends.Count(send => send.IsCompleted && send.Exception?.InnerException is WebSocketClosedException);
        Assert.True(refused > 0, "no send was still waiting when the socket was aborted");
        Assert.DoesNotContain(sends, send => send.IsCompleted && send.Exception?.InnerException is not (null or WebSocketClosedException));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Abort_ends_a_close_that_waits_for_the_peers_answer(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with
        {
            WebSockets = o.WebSockets with { CloseTimeout = TimeSpan.FromMinutes(10) },
        });
        // The client reads nothing, so it never answers the close.
        using var client = await server.ConnectWebSocketAsync("/ws/hold");
        var socket = await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        var close = socket.CloseAsync(WebSocketCloseStatus.NormalClosure).AsTask();

        socket.Abort();

        await close.WaitAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.False(socket.TrySend(WebSocketMessage.FromText("after abort")));
    }

    [HostTheory, MemberData(nameof(KeepAliveHosts))]
    public async Task A_peer_that_stops_answering_pings_is_dropped_with_1006(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with
        {
            WebSockets = o.WebSockets with { KeepAliveInterval = TimeSpan.FromMilliseconds(200), KeepAliveTimeout = TimeSpan.FromMilliseconds(300) },
        });
        // The raw client reads nothing and so never answers a ping.
        await using var silent = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/hold");
        var (status, _) = await server.App.ServerSawClose.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(WebSocketSession.AbnormalClosure, status);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task After_close_sends_throw_receives_return_null_and_close_is_idempotent(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var client = await server.ConnectWebSocketAsync("/ws/hold");
        var socket = await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        await Assert.ThrowsAsync<ArgumentException>(() => socket.CloseAsync(WebSocketCloseStatus.NormalClosure, new string('x', 124)).AsTask());
        Assert.Equal(WebSocketState.Open, socket.State);

        await client.CloseAsync((WebSocketCloseStatus)4003, "done", CancellationToken.None).WaitAsync(Timeout);
        var (status, description) = await server.App.ServerSawClose.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal((WebSocketCloseStatus)4003, status);
        Assert.Equal("done", description);

        var error = await Assert.ThrowsAsync<WebSocketClosedException>(() => socket.SendAsync(WebSocketMessage.FromText("too late")).AsTask());
        Assert.Equal((WebSocketCloseStatus)4003, error.CloseStatus);
        Assert.False(socket.TrySend(WebSocketMessage.FromText("too late")));
        Assert.Null(await socket.ReceiveAsync().AsTask().WaitAsync(Timeout));
        Assert.Null(await socket.ReceiveAsync().AsTask().WaitAsync(Timeout));
        await socket.CloseAsync().AsTask().WaitAsync(Timeout);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, new string('x', 123)).AsTask().WaitAsync(Timeout);
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_message_over_the_size_limit_closes_with_1009(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { WebSockets = o.WebSockets with { MaxMessageBytes = 1000 } });
        using var client = await server.ConnectWebSocketAsync("/ws/echo");
        await client.SendAsync(new byte[1000], WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(1000, (await client.ReceiveMessageAsync()).Data.Length);
        await client.SendAsync(new byte[1001], WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
    }

    private static byte[] Payload(int task, int seq)
    {
        // Mixed sizes from 8 B to ~48 KiB, filled with a pattern that shows any interleaving.
        var size = 8 + ((task * 7919 + seq * 104_729) % 6 switch { 0 => 0, 1 => 100, 2 => 1000, 3 => 8000, 4 => 20_000, _ => 48_000 });
        var payload = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(payload, task);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), seq);
        for (var i = 8; i < size; i++)
            payload[i] = (byte)(task ^ seq ^ i);
        return payload;
    }
}
