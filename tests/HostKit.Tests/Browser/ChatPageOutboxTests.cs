using System.Text.RegularExpressions;
using HostKit.Tests.Chat;
using HostKit.Tests.ScaleOut;
using HostKit.Tests.Support;
using Microsoft.Playwright;
using static HostKit.Tests.Browser.ChatPageDriver;
using static Microsoft.Playwright.Assertions;

namespace HostKit.Tests.Browser;

/// <summary>
/// What the chat page does with what a person wrote when it cannot be stored at once: written offline it waits under the
/// log and goes out, once, when the page is connected again; refused while Redis is down, it keeps its text; a notice
/// goes away when what it was about is over.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ChatPageOutboxTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    static ChatPageOutboxTests() => SetDefaultExpectTimeout(PageTimeout);

    [Fact]
    public async Task A_message_written_while_offline_waits_and_is_sent_once_when_the_page_is_connected_again()
    {
        var browser = await chromium.GetBrowserAsync();
        var demo = await DemoProcess.StartAsync();
        try
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Phone });
            var page = await OpenAsync(context, demo.Address, "offline", "ann");
            await demo.StopAsync();
            await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");

            await SayAsync(page, "written while offline");
            var waiting = page.Locator("#outbox li");
            await Expect(waiting).ToContainTextAsync(["written while offline"]);
            await Expect(waiting).ToContainTextAsync(["not connected: sends when the page is connected again"]);
            await Expect(page.Locator("#text")).ToHaveValueAsync("");

            await demo.DisposeAsync();
            demo = await DemoProcess.StartOnPortAsync(demo.Address.Port);
            await Expect(Messages(page, "written while offline")).ToHaveCountAsync(1);
            await Expect(Messages(page, "written while offline")).ToHaveClassAsync(new Regex(@"\bown\b"));
            await Expect(waiting).ToHaveCountAsync(0);

            // Stored once: a newcomer's history has it once.
            using var bob = await ChatSockets.ConnectAsync(demo.Address, ChatApps.Path("offline", "bob"));
            var history = await bob.ReceiveUntilAsync(e => e is { Type: "join", Name: "bob" });
            Assert.Single(history, e => e.Text == "written while offline");
        }
        finally
        {
            await demo.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_notice_goes_away_when_what_it_was_about_is_over()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var demo = await DemoProcess.StartAsync();
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context, demo.Address, "notices", "ann");

        await SayAsync(page, new string('x', 5000));
        await Expect(page.Locator("#notice")).ToContainTextAsync("at most 4096 bytes");
        await Expect(page.Locator("#outbox li")).ToHaveCountAsync(0);
        await page.Locator("#text").FillAsync("shorter");
        await Expect(page.Locator("#notice")).ToBeHiddenAsync();

        await SayAsync(page, new string('x', 5000));
        await Expect(page.Locator("#notice")).ToBeVisibleAsync();
        await page.Locator("#notice-close").ClickAsync();
        await Expect(page.Locator("#notice")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task What_was_refused_while_Redis_was_away_is_sent_by_itself_once_Redis_is_back_with_its_data()
    {
        var browser = await chromium.GetBrowserAsync();
        // Synced before each answer: the rooms outlive a restart of Redis (any other setting starts them again, docs/backplane.md#durability).
        await using var redis = await RedisServer.StartWithAppendOnlyFileAsync("always");
        await using var node = await RedisChatClusterTests.StartNodeAsync("kestrel", redis);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Desktop });
        var page = await OpenAsync(context, node.Address, "away", "ann");
        await SayAsync(page, "said before Redis stopped");
        await Expect(Messages(page, "said before Redis stopped")).ToHaveCountAsync(1);

        await redis.StopAsync(keepData: true);
        // The node keeps the page connected and refuses the message; the page keeps it and tries again by itself.
        await SayAsync(page, "typed while Redis is away");
        await Expect(page.Locator("#outbox li")).ToContainTextAsync([new Regex("not sent: the chat backplane is unavailable; trying again in \\d+ s")]);
        await KeepScreenshotAsync(page, "docs/images/chat-redis-down.png");

        await redis.StartAgainAsync();                                      // with its data: the same log, no reset
        await Expect(Messages(page, "typed while Redis is away")).ToHaveCountAsync(1);
        await Expect(Messages(page, "typed while Redis is away")).ToHaveClassAsync(new Regex(@"\bown\b"));
        await Expect(page.Locator("#outbox li")).ToHaveCountAsync(0);
        await Expect(page.Locator("#messages li.gap")).ToHaveCountAsync(0);
        await Expect(page.Locator("#notice")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task After_Redis_loses_its_data_the_page_says_the_history_was_reset_and_what_was_typed_meanwhile_is_sent()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var node = await RedisChatClusterTests.StartNodeAsync("kestrel", redis);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Desktop });
        var page = await OpenAsync(context, node.Address, "reset", "ann");
        await SayAsync(page, "said before Redis died");
        await Expect(Messages(page, "said before Redis died")).ToHaveCountAsync(1);

        await redis.KillAsync();
        await SayAsync(page, "typed while Redis is down");
        // Not stored, and not lost: it stays under the log with its text, whether the server refused it or the page was away.
        await Expect(page.Locator("#outbox li")).ToContainTextAsync(["typed while Redis is down"]);
        await Expect(page.Locator("#outbox li")).ToContainTextAsync([new Regex("not sent|not connected")]);
        await Expect(page.Locator("#state")).Not.ToContainTextAsync(new Regex(@"\b1\d{3}\b"));

        await redis.StartAgainAsync();                                      // no persistence: empty
        await Expect(page.Locator("#notice")).ToContainTextAsync("history was reset");
        await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
        await Expect(page.Locator("#state")).Not.ToContainTextAsync(new Regex(@"\b1\d{3}\b"));
        // The page's reconnect (or its own retry) sends it, once.
        await Expect(Messages(page, "typed while Redis is down")).ToHaveCountAsync(1);
        await Expect(page.Locator("#outbox li")).ToHaveCountAsync(0);
        await Expect(Messages(page, "said before Redis died")).ToHaveCountAsync(1);
        // One ann here: the page's connection before the reset (whose join the lost log had, whose message and leave the
        // new one may have) is not counted next to the one it has now.
        await Expect(page.Locator("#members li")).ToHaveTextAsync(["ann"]);
        await Expect(page.Locator("#member-count")).ToHaveTextAsync("(1)");
        await KeepScreenshotAsync(page, "docs/images/chat-reset.png");
    }
}
