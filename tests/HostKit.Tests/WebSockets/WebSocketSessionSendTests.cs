using System.Net.WebSockets;
using HostKit.Hosts;
using static HostKit.Tests.WebSockets.SessionUnderTest;

namespace HostKit.Tests.WebSockets;

/// <summary>
/// The send queue of <see cref="WebSocketSession"/>: one writer, call order kept, the bounded buffer
/// holding for <see cref="IWebSocket.SendAsync"/> as well as <see cref="IWebSocket.TrySend"/>, and
/// nothing left behind by a send that was queued or cancelled. A held write stands for a peer that
/// stopped reading, so each case knows exactly what is in flight.
/// </summary>
public class WebSocketSessionSendTests
{
    public static TheoryData<long, int> Limits => new()
    {
        { 100, 1000 },      // bounded by bytes: 60 + 60 > 100
        { 1_000_000, 1 },   // bounded by messages: one is in flight already
    };

    [Theory, MemberData(nameof(Limits))]
    public async Task SendAsync_waits_for_room_in_the_bounded_buffer(long maxBytes, int maxMessages)
    {
        await using var test = Start(o => o with { MaxBufferedBytes = maxBytes, MaxBufferedMessages = maxMessages });
        test.Writes.Hold();
        var first = test.Session.SendAsync(Message(60, marker: 1));
        await test.Writes.WaitForHeldWriteAsync();

        var second = test.Session.SendAsync(Message(60, marker: 2));

        Assert.False(second.IsCompleted);
        Assert.Equal(60, test.Session.BufferedBytes);
        Assert.False(test.Session.TrySend(Message(1, marker: 3)));
        test.Writes.Release();
        await first.AsTask().WaitAsync(WaitLimit);
        await second.AsTask().WaitAsync(WaitLimit);
        Assert.Equal(1, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(2, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(0, test.Session.BufferedBytes);
    }

    [Fact]
    public async Task A_message_larger_than_the_limit_still_goes_into_an_empty_queue()
    {
        await using var test = Start(o => o with { MaxBufferedBytes = 100 });

        await test.Session.SendAsync(Message(1000, marker: 1)).AsTask().WaitAsync(WaitLimit);
        Assert.True(test.Session.TrySend(Message(1000, marker: 2)));

        Assert.Equal(1000, (await test.ClientReceiveAsync()).Data.Length);
        Assert.Equal(1000, (await test.ClientReceiveAsync()).Data.Length);
    }

    [Fact]
    public async Task Cancelling_a_SendAsync_that_waits_for_room_removes_it_and_the_next_one_takes_its_place()
    {
        await using var test = Start(o => o with { MaxBufferedBytes = 100 });
        test.Writes.Hold();
        var first = test.Session.SendAsync(Message(60, marker: 1));
        await test.Writes.WaitForHeldWriteAsync();
        using var cancel = new CancellationTokenSource();
        var cancelled = test.Session.SendAsync(Message(60, marker: 2), cancel.Token);
        var third = test.Session.SendAsync(Message(30, marker: 3));
        Assert.Equal(60, test.Session.BufferedBytes);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask().WaitAsync(WaitLimit));
        Assert.Equal(90, test.Session.BufferedBytes);
        test.Writes.Release();
        await first.AsTask().WaitAsync(WaitLimit);
        await third.AsTask().WaitAsync(WaitLimit);
        Assert.Equal(1, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(3, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(0, test.Session.BufferedBytes);
    }

    [Fact]
    public async Task Sends_that_wait_for_room_keep_the_order_of_their_calls()
    {
        const int Count = 200;
        await using var test = Start(o => o with { MaxBufferedMessages = 3 });
        test.Writes.Hold();
        var sends = new List<Task>();
        for (var i = 0; i < Count; i++)
            sends.Add(test.Session.SendAsync(Message(1 + (i % 7), marker: (byte)i)).AsTask());
        await test.Writes.WaitForHeldWriteAsync();

        test.Writes.Release();

        await Task.WhenAll(sends).WaitAsync(WaitLimit);
        for (var i = 0; i < Count; i++)
            Assert.Equal((byte)i, (await test.ClientReceiveAsync()).Data[0]);
    }

    [Fact]
    public async Task Queued_sends_let_go_of_the_callers_cancellation_token()
    {
        using var longLived = new CancellationTokenSource();
        await using var test = Start();
        test.Writes.Hold();
        var first = test.Session.SendAsync(Message(8), longLived.Token);
        await test.Writes.WaitForHeldWriteAsync();
        var queued = Enumerable.Range(0, 100).Select(i => test.Session.SendAsync(Message(8), longLived.Token).AsTask()).ToList();

        test.Writes.Release();

        await first.AsTask().WaitAsync(WaitLimit);
        await Task.WhenAll(queued).WaitAsync(WaitLimit);
        Assert.Equal(0, CancellationRegistrations.Count(longLived));
    }

    [Fact]
    public async Task TrySend_queues_behind_the_writer_and_refuses_a_full_buffer()
    {
        await using var test = Start(o => o with { MaxBufferedBytes = 100 });
        test.Writes.Hold();
        Assert.True(test.Session.TrySend(Message(60, marker: 1)));
        await test.Writes.WaitForHeldWriteAsync();

        Assert.True(test.Session.TrySend(Message(40, marker: 2)));
        Assert.False(test.Session.TrySend(Message(1, marker: 3)));
        Assert.Equal(100, test.Session.BufferedBytes);

        test.Writes.Release();
        Assert.Equal(1, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(2, (await test.ClientReceiveAsync()).Data[0]);
    }

    [Fact]
    public async Task Abort_fails_queued_and_waiting_sends_with_WebSocketClosedException()
    {
        await using var test = Start(o => o with { MaxBufferedBytes = 100 });
        test.Writes.Hold();
        var first = test.Session.SendAsync(Message(60));
        await test.Writes.WaitForHeldWriteAsync();
        var queued = test.Session.SendAsync(Message(40));
        var waiting = test.Session.SendAsync(Message(40));

        test.Session.Abort();

        var error = await Assert.ThrowsAsync<WebSocketClosedException>(() => queued.AsTask().WaitAsync(WaitLimit));
        Assert.Equal(WebSocketSession.AbnormalClosure, error.CloseStatus);
        await Assert.ThrowsAsync<WebSocketClosedException>(() => waiting.AsTask().WaitAsync(WaitLimit));
        await Assert.ThrowsAnyAsync<Exception>(() => first.AsTask().WaitAsync(WaitLimit));
        Assert.False(test.Session.TrySend(Message(1)));
        Assert.Equal(WebSocketSession.AbnormalClosure, test.Session.CloseStatus);
    }
}
