using System.Net.WebSockets;
using HostKit.Hosts;
using static HostKit.Tests.WebSockets.SessionUnderTest;

namespace HostKit.Tests.WebSockets;

/// <summary>
/// The close handshake of <see cref="WebSocketSession"/>. The close timeout is ten minutes here, so a
/// close that waits for it instead of for the peer's answer shows as a test that never finishes.
/// </summary>
public class WebSocketSessionCloseTests
{
    [Fact]
    public async Task A_close_completes_when_the_peer_answers_though_the_pending_receive_got_a_message_and_the_app_stopped_reading()
    {
        await using var test = Start();
        var receive = test.Session.ReceiveAsync();
        var close = test.Session.CloseAsync((WebSocketCloseStatus)4000, "bye").AsTask();

        // The client finishes the message it had to send before it answers the close (RFC 6455 5.5.1 allows
        // that): the app's pending receive gets the message, and the app reads no more.
        Assert.Equal(WebSocketMessageType.Close, (await test.ClientReceiveAsync()).Type);
        await test.ClientSendAsync("late"u8.ToArray(), WebSocketMessageType.Text);
        Assert.Equal("late", (await receive.AsTask().WaitAsync(WaitLimit))?.Text);
        await test.Client.CloseOutputAsync((WebSocketCloseStatus)4000, "bye", CancellationToken.None).WaitAsync(WaitLimit);

        await close.WaitAsync(WaitLimit);
        Assert.Equal(WebSocketState.Closed, test.Session.State);
        Assert.Equal((WebSocketCloseStatus)4000, test.Session.CloseStatus);
        Assert.Null(await test.Session.ReceiveAsync().AsTask().WaitAsync(WaitLimit));
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_with_1009_and_receive_returns_null_once_the_peer_answers()
    {
        await using var test = Start(o => o with { MaxMessageBytes = 1000 });
        var receive = test.Session.ReceiveAsync();

        await test.ClientSendAsync(new byte[1001]);
        Assert.Equal(WebSocketMessageType.Close, (await test.ClientReceiveAsync()).Type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, test.Client.CloseStatus);
        await test.Client.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Null(await receive.AsTask().WaitAsync(WaitLimit));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, test.Session.CloseStatus);
        Assert.Equal(WebSocketState.Closed, test.Session.State);
    }

    [Fact]
    public async Task The_close_frame_follows_the_messages_queued_before_it_and_later_sends_are_refused()
    {
        await using var test = Start();
        test.Writes.Hold();
        var first = test.Session.SendAsync(Message(10, marker: 1));
        await test.Writes.WaitForHeldWriteAsync();
        Assert.True(test.Session.TrySend(Message(10, marker: 2)));

        var close = test.Session.CloseAsync().AsTask();

        Assert.False(test.Session.TrySend(Message(10, marker: 3)));
        await Assert.ThrowsAsync<WebSocketClosedException>(() => test.Session.SendAsync(Message(10, marker: 4)).AsTask());
        test.Writes.Release();
        await first.AsTask().WaitAsync(WaitLimit);
        Assert.Equal(1, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(2, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(WebSocketMessageType.Close, (await test.ClientReceiveAsync()).Type);
        await test.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(WaitLimit);
        await close.WaitAsync(WaitLimit);
        Assert.Equal(WebSocketState.Closed, test.Session.State);
    }

    [Fact]
    public async Task A_close_fails_the_sends_still_waiting_for_room()
    {
        await using var test = Start(o => o with { MaxBufferedBytes = 100 });
        test.Writes.Hold();
        var first = test.Session.SendAsync(Message(60, marker: 1));
        await test.Writes.WaitForHeldWriteAsync();
        var waiting = test.Session.SendAsync(Message(60, marker: 2));

        var close = test.Session.CloseAsync().AsTask();

        await Assert.ThrowsAsync<WebSocketClosedException>(() => waiting.AsTask().WaitAsync(WaitLimit));
        test.Writes.Release();
        await first.AsTask().WaitAsync(WaitLimit);
        Assert.Equal(1, (await test.ClientReceiveAsync()).Data[0]);
        Assert.Equal(WebSocketMessageType.Close, (await test.ClientReceiveAsync()).Type);
        await test.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(WaitLimit);
        await close.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task The_peers_close_is_answered_with_its_own_code()
    {
        await using var test = Start();
        var receive = test.Session.ReceiveAsync();

        await test.Client.CloseOutputAsync((WebSocketCloseStatus)4005, "going", CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Null(await receive.AsTask().WaitAsync(WaitLimit));
        Assert.Equal(WebSocketMessageType.Close, (await test.ClientReceiveAsync()).Type);
        Assert.Equal((WebSocketCloseStatus)4005, test.Client.CloseStatus);
        Assert.Equal((WebSocketCloseStatus)4005, test.Session.CloseStatus);
        Assert.Equal("going", test.Session.CloseStatusDescription);
        await Assert.ThrowsAsync<WebSocketClosedException>(() => test.Session.SendAsync(Message(1)).AsTask());
    }

    [Fact]
    public async Task FinishAsync_closes_with_1011_after_a_handler_fault_and_logs_it()
    {
        await using var test = Start();
        var receive = test.Session.ReceiveAsync();

        var finish = test.Session.FinishAsync(new InvalidOperationException("handler failed")).AsTask();

        Assert.Equal(WebSocketMessageType.Close, (await test.ClientReceiveAsync()).Type);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, test.Client.CloseStatus);
        await test.Client.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, null, CancellationToken.None).WaitAsync(WaitLimit);
        await finish.WaitAsync(WaitLimit);
        Assert.Null(await receive.AsTask().WaitAsync(WaitLimit));
        Assert.Contains(test.Log.Entries, e => e.Exception?.Message == "handler failed");
    }
}
