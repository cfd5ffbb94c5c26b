using HostKit.Hosts;

namespace HostKit.Tests.Http1;

public class WebSocketHandshakeTests
{
    [Fact]
    public void The_accept_key_matches_the_rfc_6455_example()
    {
        // RFC 6455 section 1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Theory]
    [InlineData("GET", true, "websocket", "Upgrade", true)]
    [InlineData("GET", true, "WebSocket", "keep-alive, Upgrade", true)]
    [InlineData("GET", true, "h2c, websocket", "upgrade", true)]
    [InlineData("POST", true, "websocket", "Upgrade", false)]
    [InlineData("GET", false, "websocket", "Upgrade", false)]
    [InlineData("GET", true, "websocket", "keep-alive", false)]
    [InlineData("GET", true, null, "Upgrade", false)]
    [InlineData("GET", true, "websocket2", "Upgrade", false)]
    public void Only_an_http11_get_with_both_headers_is_a_handshake(string method, bool http11, string? upgrade, string? connection, bool expected)
    {
        Assert.Equal(expected, WebSocketHandshake.IsRequested(method, http11, upgrade, connection));
    }

    [Theory]
    [InlineData("13", "dGhlIHNhbXBsZSBub25jZQ==", null)]
    [InlineData(" 13 ", " dGhlIHNhbXBsZSBub25jZQ== ", null)]
    [InlineData("8", "dGhlIHNhbXBsZSBub25jZQ==", RequestRejection.UnsupportedWebSocketVersion)]
    [InlineData(null, "dGhlIHNhbXBsZSBub25jZQ==", RequestRejection.UnsupportedWebSocketVersion)]
    [InlineData("13", null, RequestRejection.InvalidWebSocketKey)]
    [InlineData("13", "c2hvcnQ=", RequestRejection.InvalidWebSocketKey)]
    [InlineData("13", "not base64 at all!", RequestRejection.InvalidWebSocketKey)]
    public void A_handshake_is_refused_for_a_wrong_version_or_key(string? version, string? key, RequestRejection? expected)
    {
        Assert.Equal(expected, WebSocketHandshake.Validate(version, key));
    }

    [Fact]
    public void The_101_names_the_chosen_subprotocol_only_when_there_is_one()
    {
        var without = System.Text.Encoding.ASCII.GetString(WebSocketHandshake.SwitchingProtocols("dGhlIHNhbXBsZSBub25jZQ==", null));
        var with = System.Text.Encoding.ASCII.GetString(WebSocketHandshake.SwitchingProtocols("dGhlIHNhbXBsZSBub25jZQ==", "chat.v2"));
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", without, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", without, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", without, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Protocol: chat.v2\r\n", with, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", with, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("chat.v2", "Sec-WebSocket-Protocol: chat.v2\r\n")]
    public void The_101_is_exactly_the_response_RFC_6455_shows(string? subProtocol, string protocolLine)
    {
        var response = WebSocketHandshake.SwitchingProtocols(" dGhlIHNhbXBsZSBub25jZQ== ", subProtocol);
        Assert.Equal("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" + protocolLine + "\r\n", System.Text.Encoding.ASCII.GetString(response));
    }

    [Fact]
    public void An_overlong_key_still_gets_the_accept_value_of_its_trimmed_text()
    {
        var key = new string('k', 300);
        var expected = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        Assert.Equal(expected, WebSocketHandshake.AcceptKey(" " + key + "\t"));
    }
}
