using HostKit.Hosts.Raw.WebSockets;

namespace HostKit.Tests.Raw;

public class WebSocketHandshakeTests
{
    [Fact]
    public void The_accept_key_matches_the_rfc_6455_example()
    {
        // RFC 6455 section 1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
