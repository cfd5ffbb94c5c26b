using System.Text;
using HostKit.Tests.Conformance;

namespace HostKit.Tests.Kestrel;

/// <summary>
/// The kestrel host's h2c sniffer (<c>Http2/H2cPriorKnowledge</c>) on the wire: it decides from a connection's first
/// bytes however they arrive, sends HTTP/1.1 on at the first byte off the preface (even one that starts like it), and
/// answers a connection that stopped mid-preface as a slow head (408, closed) at the head timeout.
/// </summary>
public class H2cPriorKnowledgeTests
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>An empty SETTINGS frame: length 0, type 4, no flags, stream 0.</summary>
    private static readonly byte[] EmptySettings = [0, 0, 0, 4, 0, 0, 0, 0, 0];

    private static Task<ServerUnderTest> StartAsync(TimeSpan? headersTimeout = null) =>
        ServerUnderTest.StartAsync("kestrel", o => o with
        {
            Http2 = true,
            Limits = headersTimeout is { } timeout ? o.Limits with { RequestHeadersTimeout = timeout } : o.Limits,
        });

    [Fact]
    public async Task A_preface_sent_a_byte_at_a_time_is_answered_with_the_servers_SETTINGS()
    {
        await using var server = await StartAsync();
        await using var connection = await server.OpenConnectionAsync();
        foreach (var b in Preface)
        {
            await connection.SendAsync([b]);
            await connection.Stream.FlushAsync();
        }
        await connection.SendAsync(EmptySettings);

        var header = new byte[9];
        await connection.Stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(4, header[3]); // an HTTP/2 server speaks first with SETTINGS (RFC 9113 section 3.4)
    }

    [Fact]
    public async Task A_request_that_starts_like_the_preface_is_still_HTTP_1_1()
    {
        await using var server = await StartAsync();
        await using var connection = await server.OpenConnectionAsync();
        // "P", as the preface's "PRI", then not: HTTP/1.1 at the second byte.
        await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Length: 5\r\n\r\nhello");
        var echoed = await connection.ReadResponseAsync();
        Assert.Equal(("HTTP/1.1", 200, "hello"), (echoed.Version, echoed.Status, echoed.Text));
    }

    [Fact]
    public async Task A_connection_silent_past_the_head_timeout_is_still_served_over_HTTP_1_1()
    {
        await using var server = await StartAsync(TimeSpan.FromSeconds(1));
        await using var silent = await server.OpenConnectionAsync();
        // Past the sniffer's wait, known by a condition rather than a sleep: a connection opened later has had its 408.
        await using (var stalled = await server.OpenConnectionAsync())
        {
            await stalled.SendAsync(Preface.AsSpan(0, 3).ToArray());
            Assert.Equal(408, (await stalled.ReadResponseAsync()).Status); // the head timeout has run out for both connections
        }
        await silent.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: {server.Address.Authority}\r\n\r\n");
        var answer = await silent.ReadResponseAsync();
        Assert.Equal(("HTTP/1.1", 200, "Hello, World!"), (answer.Version, answer.Status, answer.Text));
    }

    [Fact]
    public async Task A_client_that_stops_mid_preface_is_closed_and_the_others_are_served()
    {
        await using var server = await StartAsync(TimeSpan.FromSeconds(1));
        await using var stalled = await server.OpenConnectionAsync();
        await stalled.SendAsync(Preface.AsSpan(0, 10).ToArray());

        using var client = HostKit.Conformance.Support.Http2Clients.Http(server.Address);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        Assert.Equal("Hello, World!", await server.Http.GetStringAsync("/plaintext"));
        // A slow head, as on HTTP/1.1: the host kit's 408, and the connection closes.
        var refused = await stalled.ReadResponseAsync();
        Assert.Equal(408, refused.Status);
        Assert.True(await stalled.IsClosedByServerAsync(TimeSpan.FromSeconds(20)), Encoding.ASCII.GetString(Preface, 0, 10) + " held the connection open");
    }
}
