using HostKit.Conformance.Support;
using HostKit.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HostKit.Tests.Browser;

/// <summary>
/// The chat page served over https:// by the Demo itself (no proxy), in Chromium: the page opens its websocket as
/// wss:// (a page served over https may not open ws://), and a message goes round. The certificate comes from the
/// test's throwaway CA, which Chromium does not know: the context ignores certificate errors, as a developer's
/// browser is told to trust a local certificate.
/// </summary>
public sealed class WssInChromiumTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hostkit-wss-").FullName;

    static WssInChromiumTests() => SetDefaultExpectTimeout(30_000);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("kestrel")]
    [InlineData("raw")]
    public async Task The_chat_page_over_https_talks_over_wss(string host)
    {
        var browser = await chromium.GetBrowserAsync();
        var (certFile, keyFile) = ThrowawayCertificateAuthority.WritePem(_directory);
        await using var demo = await DemoProcess.StartAtAsync(host, "https://127.0.0.1:0", "--certfile", certFile, "--keyfile", keyFile);
        Assert.Equal("https", demo.Address.Scheme);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var sockets = new List<string>();
        var page = await context.NewPageAsync();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);

        await page.GotoAsync(new Uri(demo.Address, "/?room=tls").ToString());
        await page.Locator("#name").FillAsync("ann");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
        await page.Locator("#text").FillAsync("said over wss");
        await page.Locator("#text").PressAsync("Enter");
        await Expect(page.Locator("#messages li.message").Last).ToContainTextAsync("said over wss");

        Assert.Equal("https:", await page.EvaluateAsync<string>("location.protocol"));
        Assert.StartsWith($"wss://127.0.0.1:{demo.Address.Port}/ws/chat?", Assert.Single(sockets), StringComparison.Ordinal);
        Assert.Equal(host, await page.Locator("#host").TextContentAsync());
    }
}
