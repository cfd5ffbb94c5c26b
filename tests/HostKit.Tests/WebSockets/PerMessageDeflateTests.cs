using HostKit.Hosts;

namespace HostKit.Tests.WebSockets;

/// <summary>The permessage-deflate negotiation (RFC 7692 section 7), sans-I/O: which offers are accepted, and the 101's answer.</summary>
public class PerMessageDeflateTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x-webkit-deflate-frame")]
    [InlineData("permessage-deflate; server_max_window_bits=8")]
    [InlineData("permessage-deflate; server_max_window_bits")]
    [InlineData("permessage-deflate; server_max_window_bits=16")]
    [InlineData("permessage-deflate; server_max_window_bits=010")]
    [InlineData("permessage-deflate; client_max_window_bits=7")]
    [InlineData("permessage-deflate; server_no_context_takeover=1")]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover")]
    [InlineData("permessage-deflate; unknown_parameter")]
    public void Offers_the_server_cannot_honour_are_declined(string? offers) =>
        Assert.Null(PerMessageDeflate.Negotiate(offers, contextTakeover: false));

    [Theory]
    [InlineData("permessage-deflate", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("PerMessage-Deflate; client_max_window_bits=10", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10")]
    [InlineData("permessage-deflate; server_max_window_bits=\"12\"", "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12")]
    public void Without_context_takeover_the_answer_asks_both_sides_to_drop_their_context(string offers, string answer)
    {
        var accepted = PerMessageDeflate.Negotiate(offers, contextTakeover: false);
        Assert.NotNull(accepted);
        Assert.Equal(answer, accepted.ResponseHeader);
        Assert.False(accepted.EngineOptions.ServerContextTakeover);
        Assert.False(accepted.EngineOptions.ClientContextTakeover);
    }

    [Fact]
    public void The_first_offer_the_server_can_honour_is_taken()
    {
        var accepted = PerMessageDeflate.Negotiate("permessage-deflate; server_max_window_bits=8, permessage-deflate; server_max_window_bits=11, permessage-deflate", contextTakeover: false);
        Assert.NotNull(accepted);
        Assert.Equal(11, accepted.ServerMaxWindowBits);
        Assert.Equal(11, accepted.EngineOptions.ServerMaxWindowBits);
    }

    [Fact]
    public void With_context_takeover_the_answer_keeps_it_unless_the_client_declines_it()
    {
        var kept = PerMessageDeflate.Negotiate("permessage-deflate; client_max_window_bits", contextTakeover: true);
        Assert.NotNull(kept);
        Assert.Equal("permessage-deflate", kept.ResponseHeader);
        Assert.True(kept.EngineOptions.ServerContextTakeover);

        var declined = PerMessageDeflate.Negotiate("permessage-deflate; client_no_context_takeover", contextTakeover: true);
        Assert.NotNull(declined);
        Assert.False(declined.ContextTakeover);
        Assert.Contains("client_no_context_takeover", declined.ResponseHeader, StringComparison.Ordinal);
    }

    [Fact]
    public void The_101_carries_the_answer()
    {
        var response = System.Text.Encoding.ASCII.GetString(WebSocketHandshake.SwitchingProtocols("dGhlIHNhbXBsZSBub25jZQ==", "chat", "permessage-deflate"));
        Assert.EndsWith("Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", response, StringComparison.Ordinal);
    }
}
