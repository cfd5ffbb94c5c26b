using HostKit.Conformance;
using HostKit.Hosts;
using HostKit.Tests.Support;

namespace HostKit.Tests.Browser;

/// <summary>
/// Chromium offers permessage-deflate on every websocket it opens: with compression on, every host that declares
/// <see cref="HostCapabilities.WebSocketCompression"/> accepts it, and the page's echo comes back whole; httplistener,
/// which cannot compress, answers without it. Once with the Demo on each of its hosts, as a person runs it, and once
/// on every host the conformance suite knows (the minimal sample host too), so a host that declares compression is
/// checked in Chromium without this list being edited.
/// </summary>
public class CompressionInChromiumTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Accepted = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    public static TheoryData<string> Hosts => ConformanceHosts.Supporting(HostCapabilities.WebSockets | HostCapabilities.Network);

    [Theory]
    [InlineData("kestrel", Accepted)]
    [InlineData("raw", Accepted)]
    [InlineData("kestrel-transport", Accepted)]
    [InlineData("uring", Accepted)]
    [InlineData("httplistener", "")]
    public async Task Chromium_negotiates_compression_with_the_demo_on_each_host_that_compresses(string host, string expected)
    {
        await using var demo = await DemoProcess.StartAsync(host, 0, "--set", "HostKit:WebSockets:Compression=true");
        Assert.Equal([expected, "echoed"], await EchoFromPageAsync(demo.Address));
    }

    [HostTheory, MemberData(nameof(Hosts))]
    public async Task Chromium_negotiates_compression_with_every_host_that_declares_it(string host)
    {
        var declares = ConformanceHosts.All.Get(host).Capabilities.HasFlag(HostCapabilities.WebSocketCompression);
        await using var server = await ServerUnderTest.StartAsync(host, o => o with { WebSockets = o.WebSockets with { Compression = true } });
        Assert.Equal([declares ? Accepted : "", "echoed"], await EchoFromPageAsync(server.Address));
    }

    /// <summary>Opens a page on <paramref name="address"/> and echoes a chat-like message through its /ws/echo: the extensions Chromium got, and whether the echo was whole.</summary>
    private async Task<string[]> EchoFromPageAsync(Uri address)
    {
        var browser = await chromium.GetBrowserAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(address, "/plaintext").ToString());
        return await page.EvaluateAsync<string[]>("""
            url => new Promise((resolve, reject) => {
              const text = JSON.stringify({ type: 'message', text: 'hello '.repeat(500) });
              const ws = new WebSocket(url);
              ws.onopen = () => ws.send(text);
              ws.onmessage = e => { resolve([ws.extensions, e.data === text ? 'echoed' : 'differs']); ws.close(); };
              ws.onerror = () => reject(new Error('websocket error'));
            })
            """, $"ws://{address.Authority}/ws/echo");
    }
}
