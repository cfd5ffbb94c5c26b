using HostKit.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HostKit.Tests.Browser;

/// <summary>
/// The Demo's chat page in a real browser (Debian's Chromium, driven by Playwright), served by the Demo as a separate
/// process: what a person sees. Every wait is for something to show on the page, never for a length of time.
/// </summary>
public class ChatPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const float Timeout = 30_000;

    static ChatPageTests() => SetDefaultExpectTimeout(Timeout);

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

        // The screenshot for the README; refreshed in docs/ when asked (HOSTKIT_UPDATE_SCREENSHOT=1), kept next to the tests otherwise.
        var shot = await ann.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "chat.png"), shot);
        if (Environment.GetEnvironmentVariable("HOSTKIT_UPDATE_SCREENSHOT") == "1")
            await File.WriteAllBytesAsync(Path.Combine(RepositoryRoot(), "docs", "chat.png"), shot);
        Assert.True(shot.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']));
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
            await demo.DisposeAsync();
            demo = await DemoProcess.StartOnPortAsync(demo.Address.Port);

            // The new process has no history: the page resumes with after=<its last id> and is told what was lost.
            await Expect(page.Locator("#notice")).ToBeVisibleAsync();
            await Expect(page.Locator("#notice")).ToContainTextAsync("The server restarted");
            await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
            await SayAsync(page, "said after the restart");
            await Expect(page.Locator("#messages li.message")).ToContainTextAsync(["said before the restart", "said after the restart"]);
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

    private static async Task<IPage> OpenAsync(IBrowserContext context, Uri server, string room, string name)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server, $"/?room={room}").ToString());
        await Expect(page.Locator("#send")).ToBeHiddenAsync();              // nothing to send to before joining
        await page.Locator("#name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
        await Expect(page.Locator("#messages li.event").Last).ToContainTextAsync($"{name} joined");
        return page;
    }

    private static async Task SayAsync(IPage page, string text)
    {
        await page.Locator("#text").FillAsync(text);
        await page.Locator("#text").PressAsync("Enter");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HostKit.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException("HostKit.sln not found above " + AppContext.BaseDirectory);
    }
}
