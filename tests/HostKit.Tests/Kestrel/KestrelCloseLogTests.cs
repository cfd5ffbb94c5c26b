using System.Net.WebSockets;

namespace HostKit.Tests.Kestrel;

/// <summary>
/// What Kestrel logs when the kestrel host ends a websocket's connection (docs/logging.md). A close frame the peer never
/// answers is a normal end: its connection is ended seconds later, usually long closed, and Kestrel must not report it as
/// "the application aborted the connection". A websocket dropped without a close frame is a real abort, and stays logged.
/// </summary>
public class KestrelCloseLogTests
{
    private const string KestrelConnections = "Microsoft.AspNetCore.Server.Kestrel.Connections";
    private const int ApplicationAbortedConnection = 34;
    private const int WebSocketEndedAfterClose = 32;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_close_the_peer_never_answers_ends_without_the_applications_abort_line()
    {
        await using var server = await ServerUnderTest.StartAsync("kestrel", o => o with
        {
            WebSockets = o.WebSockets with { CloseTimeout = TimeSpan.FromMilliseconds(250) },
        });
        // The raw client reads the close frame and never answers it, nor closes its side.
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/hold");
        var socket = await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        var close = socket.CloseAsync(WebSocketCloseStatus.NormalClosure).AsTask();
        Assert.Equal(1000, await client.ReadCloseCodeAsync(Timeout));
        await close.WaitAsync(Timeout);

        // The connection is ended at least 5 s after the close frame went out (WebSocketConnectionStream.SendGrace); the host says when.
        await server.Log.WaitForAsync(e => e.EventId.Id == WebSocketEndedAfterClose && e.Category.StartsWith("HostKit", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(server.Log.Entries, e => e.Category == KestrelConnections && e.EventId.Id == ApplicationAbortedConnection);
    }

    [Fact]
    public async Task A_websocket_dropped_without_a_close_frame_is_still_logged_as_the_applications_abort()
    {
        await using var server = await ServerUnderTest.StartAsync("kestrel");
        await using var client = await RawWebSocketClient.ConnectAsync(server.Address, "/ws/hold");
        var socket = await server.App.HeldSockets.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        socket.Abort();

        var line = await server.Log.WaitForAsync(e => e.Category == KestrelConnections && e.EventId.Id == ApplicationAbortedConnection, Timeout);
        Assert.Contains("the application aborted the connection", line.Message, StringComparison.Ordinal);
    }
}
