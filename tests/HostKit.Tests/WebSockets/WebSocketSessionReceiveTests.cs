using System.Net.WebSockets;
using HostKit.Hosts;
using static HostKit.Tests.WebSockets.SessionUnderTest;

namespace HostKit.Tests.WebSockets;

/// <summary>The receive side of <see cref="WebSocketSession"/>: whole messages and the size limit at its extremes.</summary>
public class WebSocketSessionReceiveTests
{
    [Fact]
    public async Task A_MaxMessageBytes_of_int_MaxValue_still_receives_messages()
    {
        await using var test = Start(o => o with { MaxMessageBytes = int.MaxValue });
        var payload = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

        var receive = test.Session.ReceiveAsync();
        await test.ClientSendAsync(payload);

        var message = await receive.AsTask().WaitAsync(WaitLimit);
        Assert.Equal(payload, message?.Data.ToArray());
    }

    [Fact]
    public async Task A_message_of_exactly_MaxMessageBytes_is_received_and_one_byte_more_is_not()
    {
        await using var test = Start(o => o with { MaxMessageBytes = 5000 });

        var receive = test.Session.ReceiveAsync();
        await test.ClientSendAsync(new byte[5000]);
        Assert.Equal(5000, (await receive.AsTask().WaitAsync(WaitLimit))?.Data.Length);

        receive = test.Session.ReceiveAsync();
        await test.ClientSendAsync(new byte[5001]);
        Assert.Equal(WebSocketMessageType.Close, (await test.ClientReceiveAsync()).Type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, test.Client.CloseStatus);
    }

    [Fact]
    public async Task An_empty_message_and_a_fragmented_one_arrive_whole()
    {
        await using var test = Start();

        var receive = test.Session.ReceiveAsync();
        await test.ClientSendAsync([], WebSocketMessageType.Text);
        var empty = await receive.AsTask().WaitAsync(WaitLimit);
        Assert.True(empty?.IsText);
        Assert.Equal(0, empty?.Data.Length);

        receive = test.Session.ReceiveAsync();
        foreach (var (piece, last) in new[] { ("frag", false), ("ment", false), ("ed", true) })
            await test.Client.SendAsync(System.Text.Encoding.UTF8.GetBytes(piece), WebSocketMessageType.Text, last, CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal("fragmented", (await receive.AsTask().WaitAsync(WaitLimit))?.Text);
    }
}
