using HostKit.Tests.Support;

namespace HostKit.Tests.Browser;

/// <summary>
/// Chromium offers permessage-deflate on every websocket it opens: with compression on, the Demo on each host that
/// compresses accepts it, and the page's echo comes back whole; httplistener, which cannot compress, answers without it.
/// </summary>
public class CompressionInChromiumTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Theory]
    [InlineData("kestrel", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("raw", "permessage-deflate; server_no_context_takeover; client_no_context_takeover")]
    [InlineData("httplistener", "")]
    public async Task Chromium_negotiates_compression_with_each_host_that_compresses(string host, string expected)
    {
        var browser = await chromium.GetBrowserAsync();
        await using var demo = await DemoProcess.StartAsync(host, 0, "--set", "HostKit:WebSockets:Compression=true");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(demo.Address, "/plaintext").ToString());
        var result = await page.EvaluateAsync<string[]>("""
            url => new Promise((resolve, reject) => {
              const text = JSON.stringify({ type: 'message', text: 'hello '.repeat(500) });
              const ws = new WebSocket(url);
              ws.onopen = () => ws.send(text);
              ws.onmessage = e => { resolve([ws.extensions, e.data === text ? 'echoed' : 'differs']); ws.close(); };
              ws.onerror = () => reject(new Error('websocket error'));
            })
            """, $"ws://{demo.Address.Authority}/ws/echo");
        Assert.Equal([expected, "echoed"], result);
    }
}
