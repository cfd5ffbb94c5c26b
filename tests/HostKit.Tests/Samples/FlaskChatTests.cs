using System.Net;
using HostKit.Conformance;
using HostKit.Conformance.Support;
using HostKit.Hosts;
using HostKit.Samples.FlaskChat;

namespace HostKit.Tests.Samples;

/// <summary>The chat ported from Flask + gevent-websocket (samples/FlaskChat, docs/coming-from-python.md), on every host that serves HTTP and websockets.</summary>
public class FlaskChatTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.Http | HostCapabilities.WebSockets);

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task The_ported_chat_serves_its_page_and_sends_every_message_to_every_client(string host)
    {
        await using var server = await ServerUnderTest.StartAsync(host, _ => FlaskChat.Create());
        Assert.Contains("new WebSocket(", await server.Http.GetStringAsync("/"), StringComparison.Ordinal);
        using (var missing = await server.Http.GetAsync("/missing"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // A client is in the room once its own message comes back to it; bob joins after that, so he never sees alice's first line.
        using var alice = await server.ConnectWebSocketAsync("/chat");
        await alice.SendTextAsync("alice is here");
        Assert.Equal("alice is here", await alice.ReceiveTextAsync().WaitAsync(Timeout));
        using var bob = await server.ConnectWebSocketAsync("/chat");
        await bob.SendTextAsync("bob is here");
        Assert.Equal("bob is here", await bob.ReceiveTextAsync().WaitAsync(Timeout));
        Assert.Equal("bob is here", await alice.ReceiveTextAsync().WaitAsync(Timeout));

        await alice.SendTextAsync("hello, bob");
        Assert.Equal("hello, bob", await bob.ReceiveTextAsync().WaitAsync(Timeout));
        Assert.Equal("hello, bob", await alice.ReceiveTextAsync().WaitAsync(Timeout));
    }
}
