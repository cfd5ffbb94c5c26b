using System.Net.WebSockets;
using HostKit.Tests.Chat;

namespace HostKit.Tests.WebSockets;

/// <summary>The one websocket offer step every host calls (<see cref="WebSocketOffer.For"/>): nothing, the refusal, or the engine's upgrade.</summary>
public class WebSocketOfferTests
{
    private static readonly HostRuntime Runtime = new("test", (_, _) => ValueTask.FromResult(Body.Empty), new ServerOptions());

    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [Fact]
    public void A_request_that_does_not_ask_is_offered_nothing_and_no_upgrade_is_made()
    {
        var offer = WebSocketOffer.For(Handshake("13", Key), asksToUpgrade: false, 0, static (_, _) => throw new InvalidOperationException("not asked"));

        Assert.Null(offer.Upgrade);
        Assert.Null(offer.Refusal);
    }

    [Theory]
    [InlineData("12", Key, RequestRejection.UnsupportedWebSocketVersion)]
    [InlineData(null, Key, RequestRejection.UnsupportedWebSocketVersion)]
    [InlineData("13", "short", RequestRejection.InvalidWebSocketKey)]
    [InlineData("13", null, RequestRejection.InvalidWebSocketKey)]
    public void A_bad_handshake_is_refused_before_any_upgrade_is_made(string? version, string? key, RequestRejection expected)
    {
        var offer = WebSocketOffer.For(Handshake(version, key), asksToUpgrade: true, 0, static (_, _) => throw new InvalidOperationException("refused"));

        Assert.Equal(expected, offer.Refusal);
        Assert.Null(offer.Upgrade);
    }

    [Fact]
    public void A_good_handshake_gets_the_engine_upgrade_made_from_its_key_subprotocols_and_extensions()
    {
        var request = Handshake("13", Key, ("Sec-WebSocket-Protocol", "chat, superchat"), ("Sec-WebSocket-Extensions", "permessage-deflate"));
        WebSocketHandshakeRequest seen = default;

        var offer = WebSocketOffer.For(request, asksToUpgrade: true, Runtime, (handshake, runtime) =>
        {
            seen = handshake;
            return new NoEngineUpgrade(handshake.SubProtocols, runtime);
        });

        Assert.Null(offer.Refusal);
        Assert.IsType<NoEngineUpgrade>(offer.Upgrade);
        Assert.Equal(Key, seen.Key);
        Assert.Equal(["chat", "superchat"], seen.SubProtocols);
        Assert.Equal("permessage-deflate", seen.Extensions);
        Assert.Equal(["chat", "superchat"], offer.Upgrade.RequestedSubProtocols);
    }

    [Fact]
    public void A_request_asks_to_upgrade_by_its_upgrade_and_connection_headers()
    {
        Assert.True(WebSocketOffer.IsRequested(new FakeEnviron("", ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"))));
        Assert.False(WebSocketOffer.IsRequested(new FakeEnviron("", ("Upgrade", "websocket"))));
        Assert.False(WebSocketOffer.IsRequested(new FakeEnviron("", ("Connection", "upgrade"))));
    }

    [Fact]
    public async Task An_upgrade_the_kit_did_not_make_is_refused_before_the_application_runs_with_the_reason()
    {
        var called = false;
        var runtime = new HostRuntime("test", (_, start) =>
        {
            called = true;
            start(200, []);
            return ValueTask.FromResult(Body.Empty);
        }, new ServerOptions());
        var environ = new FakeEnviron("") { Offered = new ThirdPartyUpgrade() };

        var refused = await Assert.ThrowsAsync<ArgumentException>(async () => await ApplicationInvoker.InvokeAsync(runtime, environ, new ResponseHead()));

        Assert.Contains(nameof(ThirdPartyUpgrade), refused.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(HostWebSocketUpgrade), refused.Message, StringComparison.Ordinal);
        Assert.False(called);
        Assert.Equal(0, runtime.Activity.RequestsInFlight);
    }

    private static FakeEnviron Handshake(string? version, string? key, params (string Name, string Value)[] more)
    {
        var headers = new List<(string, string)> { ("Upgrade", "websocket"), ("Connection", "Upgrade") };
        if (version is not null)
            headers.Add(("Sec-WebSocket-Version", version));
        if (key is not null)
            headers.Add(("Sec-WebSocket-Key", key));
        return new FakeEnviron("", [.. headers, .. more]);
    }

    private sealed class NoEngineUpgrade(IReadOnlyList<string> subProtocols, HostRuntime runtime) : HostWebSocketUpgrade(subProtocols, new ResponseHead(), runtime)
    {
        protected override ValueTask<WebSocket> HandshakeAsync(string? subProtocol) => throw new NotSupportedException("offered, never accepted here");
    }

    /// <summary>An upgrade from outside the host kit: the application could accept it, but nothing would ever finish it.</summary>
    private sealed class ThirdPartyUpgrade : WebSocketUpgrade
    {
        public override IReadOnlyList<string> RequestedSubProtocols => [];

        protected override bool IsResponseStarted => false;

        protected override ValueTask<IWebSocket> AcceptCoreAsync(string? subProtocol, int? maxMessageBytes) => throw new NotSupportedException();
    }
}
