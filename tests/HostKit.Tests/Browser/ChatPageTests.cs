using System.Text.RegularExpressions;
using HostKit.Tests.Support;
using Microsoft.Playwright;
using static HostKit.Tests.Browser.ChatPageDriver;
using static Microsoft.Playwright.Assertions;

namespace HostKit.Tests.Browser;

/// <summary>
/// The Demo's chat page in a real browser (Debian's Chromium, driven by Playwright), served by the Demo as a separate
/// process: what a person sees. Every wait is for something to show on the page, never for a length of time.
/// </summary>
public class ChatPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    static ChatPageTests() => SetDefaultExpectTimeout(PageTimeout);

    [Fact]
    public async Task A_message_typed_in_one_page_appears_in_another_in_the_same_room()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var demo = await DemoProcess.StartAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 720, Height = 540 } });
        var ann = await OpenAsync(context, demo.Address, "lobby", "ann");
        var bob = await OpenAsync(context, demo.Address, "lobby", "bob");
        await Expect(ann.Locator("#host")).ToHaveTextAsync("kestrel");

        await SayAsync(ann, "Hello from ann's page");
        await Expect(bob.Locator("#messages li.message").Last).ToContainTextAsync("Hello from ann's page");
        await SayAsync(bob, "And hello back, from a narrow window too");
        await Expect(ann.Locator("#messages li.message").Last).ToContainTextAsync("And hello back");
        await Expect(ann.Locator("#messages li.event")).ToContainTextAsync(["ann joined", "bob joined"]);

        // The screenshot for the README.
        await KeepScreenshotAsync(ann, "docs/chat.png");
    }

    [Fact]
    public async Task After_the_server_restarts_the_page_reconnects_by_itself_and_shows_the_gap()
    {
        var browser = await chromium.GetBrowserAsync();
        var demo = await DemoProcess.StartAsync();
        try
        {
            // A phone-sized window: the page must fit it without sideways scrolling.
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 640 } });
            var page = await OpenAsync(context, demo.Address, "restart", "ann");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than a narrow window");
            await SayAsync(page, "said before the restart");
            await Expect(page.Locator("#messages li.message")).ToContainTextAsync(["said before the restart"]);

            await demo.StopAsync();
            await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");
            // Said in words; the close code is for the curious, in the tooltip.
            await Expect(page.Locator("#state")).ToContainTextAsync(new Regex("the server is restarting|connection lost|cannot reach the chat server"));
            await Expect(page.Locator("#state")).Not.ToContainTextAsync(new Regex(@"\b1\d{3}\b"));
            await demo.DisposeAsync();
            demo = await DemoProcess.StartOnPortAsync(demo.Address.Port);

            // The new process has no history: the page resumes with after=<its last id> and is told what was lost.
            await Expect(page.Locator("#notice")).ToBeVisibleAsync();
            await Expect(page.Locator("#notice")).ToContainTextAsync("history was reset");
            await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
            await SayAsync(page, "said after the restart");
            await Expect(page.Locator("#messages li.message")).ToContainTextAsync(["said before the restart", "said after the restart"]);
            await Expect(page.Locator("#notice")).ToBeHiddenAsync();           // sending again is moving on from it
        }
        finally
        {
            await demo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Html_in_a_message_shows_as_text_and_never_runs()
    {
        const string Attack = "<img src=x onerror=alert(1)>";
        var browser = await chromium.GetBrowserAsync();
        await using var demo = await DemoProcess.StartAsync();
        await using var context = await browser.NewContextAsync();
        var ann = await OpenAsync(context, demo.Address, "xss", "ann");
        var bob = await OpenAsync(context, demo.Address, "xss", "<b>bob</b>");
        var dialogs = 0;
        bob.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };

        await SayAsync(ann, Attack);
        var line = bob.Locator("#messages li.message .text").Last;
        await Expect(line).ToHaveTextAsync(Attack);
        Assert.Equal(0, await bob.Locator("#messages img").CountAsync());
        await Expect(ann.Locator("#messages li.event").Last).ToContainTextAsync("<b>bob</b> joined");
        Assert.Equal(0, await ann.Locator("#messages b").CountAsync());
        Assert.Equal(0, dialogs);
    }
}
