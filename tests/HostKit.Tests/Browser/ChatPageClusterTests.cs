using HostKit.Tests.Chat;
using HostKit.Tests.ScaleOut;
using HostKit.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HostKit.Tests.Browser;

/// <summary>
/// The chat page in Chromium through nginx in front of two nodes sharing Redis: the node that holds the page's socket is
/// killed, the page reconnects by itself (nginx sends it to the other node) and shows every message, with no gap.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ChatPageClusterTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const float Timeout = 30_000;

    static ChatPageClusterTests() => SetDefaultExpectTimeout(Timeout);

    [Fact]
    public async Task When_the_node_serving_the_page_dies_it_reconnects_to_the_other_and_shows_every_message()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var redis = await RedisServer.StartAsync();
        DemoProcess[] nodes = [await RedisChatClusterTests.StartNodeAsync("kestrel", redis), await RedisChatClusterTests.StartNodeAsync("raw", redis)];
        try
        {
            await using var nginx = await NginxServer.StartAsync(nodes[0].Address, nodes[1].Address);
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(nginx.Address, "/?room=cluster").ToString());
            await page.Locator("#name").FillAsync("ann");
            await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
            await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
            await Expect(page.Locator("#messages li.event").Last).ToContainTextAsync("ann joined");
            await SayAsync(page, "said before the crash");
            await Expect(page.Locator("#messages li.message")).ToContainTextAsync(["said before the crash"]);

            // The page's socket is the only connection nginx holds to a node now (plain requests are not kept alive).
            var serving = nodes.Single(n => SocketOwners.EstablishedOnPort(n.Pid, n.Address.Port) > 0);
            var other = nodes.Single(n => n != serving);
            await serving.KillAsync();
            await Expect(page.Locator("#state")).Not.ToHaveAttributeAsync("data-state", "open");

            // Said while the page is away, through the surviving node.
            using var bob = await ChatSockets.ConnectAsync(other.Address, ChatApps.Path("cluster", "bob"));
            await bob.SendTextAsync("said while the page was away");
            await bob.ReceiveUntilAsync(e => e.Text == "said while the page was away");

            await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
            await Expect(page.Locator("#messages li.message")).ToContainTextAsync(["said before the crash", "said while the page was away"]);
            await Expect(page.Locator("#notice")).ToBeHiddenAsync();
            Assert.True(SocketOwners.EstablishedOnPort(other.Pid, other.Address.Port) > 0, "the page should now be on the other node");
            await SayAsync(page, "said after reconnecting");
            await bob.ReceiveUntilAsync(e => e.Text == "said after reconnecting");
            await Expect(page.Locator("#messages li.message")).ToContainTextAsync(["said before the crash", "said while the page was away", "said after reconnecting"]);
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
        }
    }

    private static async Task SayAsync(IPage page, string text)
    {
        await page.Locator("#text").FillAsync(text);
        await page.Locator("#text").PressAsync("Enter");
    }
}
