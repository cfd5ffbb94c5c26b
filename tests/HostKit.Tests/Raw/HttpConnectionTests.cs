using System.Net;
using System.Net.Sockets;
using HostKit.Hosts;
using HostKit.Hosts.Raw;

namespace HostKit.Tests.Raw;

/// <summary>The Raw host's connection object itself (the kit's <see cref="Http1PipeConnection"/>), for what the wire cannot show.</summary>
public class HttpConnectionTests
{
    [Fact]
    public async Task A_connection_that_has_not_started_is_not_seen_as_finished()
    {
        // Regression: Completion was assigned on the thread pool when the connection started, so a server
        // stopping at that moment read Task.CompletedTask, did not wait for it, and aborted it.
        await using var server = await new RawHost().StartAsync((_, start) =>
        {
            start(200, []);
            return Body.Empty;
        }, new ServerOptions { Urls = [new Uri("http://127.0.0.1:0")] });
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();

        var connection = ((RawServer)server).Open(accepted, tls: null);
        Assert.False(connection.Completion.IsCompleted);
        connection.Start();
        client.Shutdown(SocketShutdown.Send);
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
