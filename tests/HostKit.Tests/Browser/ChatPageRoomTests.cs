using System.Text.RegularExpressions;
using HostKit.Tests.Chat;
using HostKit.Tests.Support;
using Microsoft.Playwright;
using static HostKit.Tests.Browser.ChatPageDriver;
using static Microsoft.Playwright.Assertions;

namespace HostKit.Tests.Browser;

/// <summary>
/// The chat page showing a room, in Chromium at a desktop's and a phone's size: a long history scrolls inside the log
/// with the newest line and the send box in view, own messages are marked, the member list follows joins and leaves,
/// members who share a name are told apart, times are full. The screenshots in docs/images come from here.
/// </summary>
public class ChatPageRoomTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    static ChatPageRoomTests() => SetDefaultExpectTimeout(PageTimeout);

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_long_history_scrolls_inside_the_log_keeping_the_newest_line_and_the_send_box_in_view(string size)
    {
        var browser = await chromium.GetBrowserAsync();
        await using var demo = await DemoProcess.StartAsync("kestrel", 0, "--set", "HostKit:Chat:MaxMessagesPerSecond=0");
        using (var bob = await ChatSockets.ConnectAsync(demo.Address, ChatApps.Path("lobby", "bob")))
        {
            for (var i = 1; i <= 60; i++)
                await bob.SendTextAsync($"bob's line {i} of a long morning");
            await bob.ReceiveUntilAsync(e => e.Text == "bob's line 60 of a long morning");
        }
        using var cy = await ChatSockets.ConnectAsync(demo.Address, ChatApps.Path("lobby", "cy"));
        await cy.ReceiveUntilAsync(e => e is { Type: "join", Name: "cy" });

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = size == "phone" ? Phone : Desktop });
        var page = await OpenAsync(context, demo.Address, "lobby", "ann");
        await SayAsync(page, "Morning! Catching up on all of that now.");
        await Expect(page.Locator("#messages li.message.own")).ToContainTextAsync(["Catching up"]);
        await cy.SendTextAsync("Welcome back, ann");
        await Expect(page.Locator("#messages li.message").Last).ToContainTextAsync("Welcome back, ann");

        // The page is the window's size: the log scrolls, the page does not, and the newest line and the box are on screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollHeight <= window.innerHeight"), "the page grew taller than the window");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the window");
        Assert.True(await page.EvaluateAsync<bool>("(() => { const log = document.getElementById('log'); return log.scrollHeight > log.clientHeight; })()"),
            "the history should overflow the log");
        await Expect(page.Locator("#messages li.message").Last).ToBeInViewportAsync();
        await Expect(page.Locator("#text")).ToBeInViewportAsync();
        await Expect(page.Locator("#members li")).ToHaveTextAsync(["ann", "cy"]);
        await KeepScreenshotAsync(page, $"docs/images/chat-{size}.png");

        // A reader who scrolled up stays where they are when a line comes, and is told it came; one click takes them back
        // down, and the log follows again.
        await Expect(page.Locator("#jump")).ToBeHiddenAsync();
        await page.EvaluateAsync("document.getElementById('log').scrollTop = 0");
        await cy.SendTextAsync("a line while ann reads back");
        await Expect(page.Locator("#messages li.message").Last).ToContainTextAsync("a line while ann reads back");
        Assert.Equal(0, await page.EvaluateAsync<int>("document.getElementById('log').scrollTop"));
        await Expect(page.Locator("#jump")).ToHaveTextAsync("\u2193 1 new line");
        await Expect(page.Locator("#jump")).ToBeInViewportAsync();
        await page.Locator("#jump").ClickAsync();
        await Expect(page.Locator("#messages li.message").Last).ToBeInViewportAsync();
        await Expect(page.Locator("#jump")).ToBeHiddenAsync();
        await cy.SendTextAsync("and one after she came back down");
        await Expect(page.Locator("#messages li.message").Last).ToContainTextAsync("and one after she came back down");
        await Expect(page.Locator("#messages li.message").Last).ToBeInViewportAsync();
    }

    [Fact]
    public async Task Own_messages_are_marked_the_member_list_follows_the_room_and_members_sharing_a_name_are_told_apart()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var demo = await DemoProcess.StartAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Desktop });
        var ann = await OpenAsync(context, demo.Address, "names", "ann");
        var bob = await OpenAsync(context, demo.Address, "names", "bob");
        await Expect(ann.Locator("#notice")).ToBeHiddenAsync();

        // The server lets a second member take a name in use (names are labels, not accounts); the page says so, and every
        // page tells the two apart by a short id after the name, each page knowing which one it is.
        var otherAnn = await OpenAsync(context, demo.Address, "names", "ann");
        await Expect(otherAnn.Locator("#notice")).ToContainTextAsync("already called \"ann\"");
        var twin = new Regex(@"^ann #[0-9a-f]{4}$");
        await Expect(ann.Locator("#members li.own")).ToHaveTextAsync(twin);
        await Expect(otherAnn.Locator("#members li.own")).ToHaveTextAsync(twin);
        var first = await ann.Locator("#members li.own").TextContentAsync();
        var second = await otherAnn.Locator("#members li.own").TextContentAsync();
        Assert.NotEqual(first, second);
        string[] everyone = [.. new[] { first!, second! }.Order(StringComparer.Ordinal), "bob"];
        foreach (var page in new[] { ann, otherAnn, bob })
            await Expect(page.Locator("#members li")).ToHaveTextAsync(everyone);
        await Expect(ann.Locator("#member-count")).ToHaveTextAsync("(3)");                  // people, not names

        // Only the page that wrote a message marks it as its own, even under a shared name; every page names its writer apart.
        await SayAsync(ann, "from the first ann");
        await Expect(Messages(ann, "from the first ann")).ToHaveClassAsync(new Regex(@"\bown\b"));
        await Expect(Messages(ann, "from the first ann").Locator(".you")).ToHaveTextAsync("you");
        await Expect(Messages(otherAnn, "from the first ann")).ToHaveCountAsync(1);
        await Expect(Messages(otherAnn, "from the first ann")).Not.ToHaveClassAsync(new Regex(@"\bown\b"));
        await Expect(Messages(bob, "from the first ann")).Not.ToHaveClassAsync(new Regex(@"\bown\b"));
        foreach (var page in new[] { ann, otherAnn, bob })
            await Expect(Messages(page, "from the first ann").Locator(".who")).ToHaveTextAsync(first!);
        await SayAsync(otherAnn, "from the second ann");
        await Expect(Messages(bob, "from the second ann").Locator(".who")).ToHaveTextAsync(second!);
        await Expect(Messages(otherAnn, "from the second ann")).ToHaveClassAsync(new Regex(@"\bown\b"));
        await Expect(Messages(ann, "from the second ann")).Not.ToHaveClassAsync(new Regex(@"\bown\b"));
        await KeepScreenshotAsync(bob, "docs/images/chat-shared-name.png");

        // Full times: hours, minutes and seconds, the whole date in the tooltip.
        await Expect(Messages(bob, "from the first ann").Locator("time")).ToHaveTextAsync(new Regex(@"\d{1,2}:\d{2}:\d{2}"));

        // One of the two anns leaves: the lists keep the other one, the lines above keep their names apart.
        await otherAnn.CloseAsync();
        await Expect(bob.Locator("#members li")).ToHaveTextAsync([first!, "bob"]);
        await Expect(ann.Locator("#members li")).ToHaveTextAsync([first!, "bob"]);
        await Expect(bob.Locator("#messages li.event").Last).ToHaveTextAsync(new Regex($"{Regex.Escape(second!)} left$"));
        await Expect(Messages(bob, "from the second ann").Locator(".who")).ToHaveTextAsync(second!);
        await bob.CloseAsync();
        await Expect(ann.Locator("#members li")).ToHaveTextAsync([first!]);
        await Expect(ann.Locator("#member-count")).ToHaveTextAsync("(1)");
    }

    [Fact]
    public async Task The_member_list_of_a_late_joiner_includes_who_joined_or_spoke_in_the_history_and_not_who_left()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var demo = await DemoProcess.StartAsync();
        using var cy = await ChatSockets.ConnectAsync(demo.Address, ChatApps.Path("late", "cy"));
        await cy.ReceiveUntilAsync(e => e is { Type: "join", Name: "cy" });
        using (var dan = await ChatSockets.ConnectAsync(demo.Address, ChatApps.Path("late", "dan")))
        {
            await dan.SendTextAsync("dan was here");
            await dan.ReceiveUntilAsync(e => e.Text == "dan was here");
        }
        await cy.ReceiveUntilAsync(e => e is { Type: "leave", Name: "dan" });

        await using var context = await browser.NewContextAsync();
        var ann = await OpenAsync(context, demo.Address, "late", "ann");
        await Expect(ann.Locator("#members li")).ToHaveTextAsync(["ann", "cy"]);
    }
}
