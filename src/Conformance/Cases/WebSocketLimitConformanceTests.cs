using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using HostKit.Conformance.Support;
using HostKit.Hosts;

namespace HostKit.Conformance.Cases;

/// <summary>
/// Limits known before the bytes arrive, and close codes that reach the peer (issue 30): a route's message limit applies
/// as the bytes come and at the frame header, an unfinished message is closed at the message timeout, and after a
/// protocol violation the client reads the close code rather than a reset.
/// </summary>
public abstract class WebSocketLimitConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets);

    public static TheoryData<string> NetworkHosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.Network);

    public static TheoryData<string> HeaderLimitHosts =>
        ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.Network | HostCapabilities.WebSocketFrameHeaderLimits);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task A_routes_message_limit_is_applied_under_the_hosts(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        using var client = await server.ConnectWebSocketAsync("/ws/echo-100");
        await client.SendAsync(new byte[ConformanceApp.SmallRouteLimit], WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(ConformanceApp.SmallRouteLimit, (await client.ReceiveMessageAsync()).Data.Length);
        // Two fragments, each under the limit, together over it.
        await client.SendAsync(new byte[60], WebSocketMessageType.Binary, false, CancellationToken.None).WaitAsync(Timeout);
        await client.SendAsync(new byte[60], WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
    }

    public static TheoryData<string, string> HeaderLimitHostsAndShapes()
    {
        var data = new TheoryData<string, string>();
        foreach (var host in HeaderLimitHosts)
        {
            data.Add(host, "one frame declaring 2^62 bytes");
            data.Add(host, "a continuation taking the message over");
        }
        return data;
    }

    /// <summary>The header alone is sent: nothing of the payload, so only a host that reads the header can answer.</summary>
    [HostTheory, MemberData(nameof(HeaderLimitHostsAndShapes))]
    public async Task A_declared_length_over_the_limit_is_closed_with_1009_at_the_header(string host, string shape)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo-100");
        if (shape == "one frame declaring 2^62 bytes")
        {
            await client.SendBytesAsync(RawWebSocketClient.Header(0x82, 1UL << 62));
        }
        else
        {
            await client.SendFrameAsync(0x2, new byte[60], fin: false);
            await client.SendBytesAsync(RawWebSocketClient.Header(0x80, 41));
        }
        Assert.Equal(1009, await client.ReadCloseCodeAsync());
    }

    /// <summary>How many hostile clients come at once: a burst keeps the server busy, as the compression bombs did.</summary>
    private const int HostileClients = 20;

    /// <summary>
    /// The hostile case: a message over the limit, then more frames for as long as the connection lasts, and never a
    /// close frame. The close handshake then ends at the close timeout (short here) and the server drops the connection
    /// with the client's bytes still coming; the 1009 it wrote before must be what the client reads, not a reset. (On
    /// Kestrel the drop once threw away the close frame still in its output pipe: under load, one client in 150 read a
    /// reset.)
    /// </summary>
    [HostTheory, MemberData(nameof(NetworkHosts))]
    public async Task A_message_over_the_limit_is_answered_with_a_1009_the_client_reads_while_it_keeps_sending(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { WebSockets = o.WebSockets with { CloseTimeout = TimeSpan.FromMilliseconds(250) } });
        var codes = await Task.WhenAll(Enumerable.Range(0, HostileClients).Select(_ => OverTheLimitThenKeepSendingAsync(server)));
        Assert.All(codes, code => Assert.Equal(1009, code));
    }

    private static async Task<int?> OverTheLimitThenKeepSendingAsync(ServerUnderTest server)
    {
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo-100");
        await client.SendFrameAsync(0x2, new byte[2 * ConformanceApp.SmallRouteLimit]);
        using var stop = new CancellationTokenSource();
        var sending = KeepSendingAsync(client, stop.Token);
        try
        {
            return await client.ReadCloseCodeAsync(Timeout);
        }
        finally
        {
            await stop.CancelAsync();
            await sending;
        }
    }

    /// <summary>Sends small frames until stopped or the connection refuses them.</summary>
    private static async Task KeepSendingAsync(RawWebSocketClient client, CancellationToken stop)
    {
        var frame = RawWebSocketClient.Frame(0x2, new byte[64]);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await client.SendBytesAsync(frame);
                // A write that found room completed at once: without a yield, 20 clients would hold every thread of the pool
                // that an in-process server sends from.
                await Task.Yield();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            // The server dropped the connection: that is where sending ends.
        }
    }

    public static TheoryData<string, string> NetworkHostsAndUnfinishedShapes()
    {
        var data = new TheoryData<string, string>();
        foreach (var host in NetworkHosts)
        {
            data.Add(host, "the last fragment never comes");
            data.Add(host, "the frame's payload stops short");
        }
        return data;
    }

    [HostTheory, MemberData(nameof(NetworkHostsAndUnfinishedShapes))]
    public async Task An_unfinished_message_is_closed_with_1008_at_the_message_timeout(string host, string shape)
    {
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { WebSockets = o.WebSockets with { MessageTimeout = TimeSpan.FromSeconds(1) } });
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo");
        if (shape == "the last fragment never comes")
        {
            await client.SendFrameAsync(0x1, "half a"u8.ToArray(), fin: false);
        }
        else
        {
            var frame = RawWebSocketClient.Frame(0x2, new byte[1000]);
            await client.SendBytesAsync(frame[..500]);
        }
        Assert.Equal(1008, await client.ReadCloseCodeAsync());
    }

    public static TheoryData<string, string> NetworkHostsAndViolations()
    {
        var data = new TheoryData<string, string>();
        foreach (var host in NetworkHosts)
        {
            foreach (var violation in Violations.Keys)
                data.Add(host, violation);
        }
        return data;
    }

    /// <summary>Each violation, the code the server must answer with, and its bytes; a frame follows, so the server holds unread bytes when it closes.</summary>
    private static readonly Dictionary<string, (int Code, byte[] Bytes)> Violations = new()
    {
        ["unmasked frame"] = (1002, [0x81, 0x02, (byte)'h', (byte)'i']),
        ["RSV1 set"] = (1002, RawWebSocketClient.Frame(0x1 | 0x40, "hi"u8.ToArray())),
        ["reserved opcode"] = (1002, RawWebSocketClient.Frame(0x3, "hi"u8.ToArray())),
        ["continuation with no message"] = (1002, RawWebSocketClient.Frame(0x0, "hi"u8.ToArray())),
        ["ping over 125 bytes"] = (1002, RawWebSocketClient.Frame(0x9, new byte[126])),
        ["invalid UTF-8 text"] = (1007, RawWebSocketClient.Frame(0x1, [0xC3, 0x28])),
    };

    [HostTheory, MemberData(nameof(NetworkHostsAndViolations))]
    public async Task After_a_protocol_violation_the_client_reads_the_close_code(string host, string violation)
    {
        await using var server = await ServerUnderTest.StartAsync(host);
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/echo");
        var (code, bytes) = Violations[violation];
        await client.SendBytesAsync([.. bytes, .. RawWebSocketClient.Frame(0x1, Encoding.UTF8.GetBytes("after"))]);
        Assert.Equal(code, await client.ReadCloseCodeAsync());
    }
}
