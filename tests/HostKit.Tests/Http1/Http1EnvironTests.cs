using System.Net;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Tests.Http1;

/// <summary>The environ of a host that parses HTTP/1.1 itself, across requests and after a switch to a websocket.</summary>
public class Http1EnvironTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Loopback, 8080);
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 50000);

    [Fact]
    public void A_head_larger_than_the_first_storage_keeps_every_header()
    {
        var headers = Enumerable.Range(0, 40).Select(i => $"X-Header-{i}: value-{i}-{new string('v', 20)}").ToList();
        var protocol = HeadParserTests.Feed(new Http1Protocol(HttpLimits.Default),
            Encoding.ASCII.GetBytes($"GET /big HTTP/1.1\r\nHost: a\r\n{string.Join("\r\n", headers)}\r\n\r\n"));
        var environ = new Http1Environ(protocol.Head, "raw", Local, Remote, Stream.Null);
        environ.Begin(null, CancellationToken.None);
        for (var i = 0; i < 40; i++)
            Assert.Equal($"value-{i}-{new string('v', 20)}", environ.GetHeader($"x-header-{i}"));
        Assert.Equal(41, environ.Headers.Count());
    }

    [Fact]
    public void After_the_switch_the_last_head_stays_readable_and_the_body_is_empty()
    {
        // A large request first grows the connection's storage; the upgrade after it is small, so the switch trims it.
        var protocol = new Http1Protocol(HttpLimits.Default);
        var large = $"GET /first HTTP/1.1\r\nHost: a\r\n{string.Join("\r\n", Enumerable.Range(0, 30).Select(i => $"X-Filler-{i}: {new string('f', 40)}"))}\r\n\r\n";
        HeadParserTests.Feed(protocol, Encoding.ASCII.GetBytes(large));
        HeadParserTests.Finish(protocol);
        HeadParserTests.Feed(protocol, Encoding.ASCII.GetBytes(
            "GET /ws/chat?room=blue HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var body = new MemoryStream("must not be read"u8.ToArray());
        var environ = new Http1Environ(protocol.Head, "raw", Local, Remote, body);
        environ.Begin(null, CancellationToken.None);

        environ.SwitchedProtocols();

        Assert.Equal(("/ws/chat", "room=blue", "websocket", "13"), (environ.PathInfo, environ.QueryString, environ.GetHeader("Upgrade"), environ.GetHeader("Sec-WebSocket-Version")));
        Assert.Null(environ.GetHeader("X-Filler-0"));
        Assert.Equal(["Host", "Upgrade", "Connection", "Sec-WebSocket-Version"], environ.Headers.Select(h => h.Key));
        Assert.Equal(0, environ.Body.Read(new byte[8]));
    }
}
