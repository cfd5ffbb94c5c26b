using System.Text.RegularExpressions;
using HostKit.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HostKit.Tests.Browser;

/// <summary>What a person does on the chat page, for the browser tests: open it, join, say something, keep a screenshot.</summary>
public static class ChatPageDriver
{
    /// <summary>How long a browser test waits for the page to show something.</summary>
    public const float PageTimeout = 30_000;

    /// <summary>A desktop window, and a phone's (a common Android size).</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1024, Height = 680 };

    /// <inheritdoc cref="Desktop"/>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 760 };

    public static async Task<IPage> OpenAsync(IBrowserContext context, Uri server, string room, string name)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server, $"/?room={room}").ToString());
        await Expect(page.Locator("#send")).ToBeHiddenAsync();              // nothing to send to before joining
        await page.Locator("#name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "open");
        // "ann joined", or "ann #3f9a joined" when the name is shared.
        await Expect(page.Locator("#messages li.event").Last).ToContainTextAsync(new Regex($"{Regex.Escape(name)}( #[0-9a-f]+)? joined"));
        return page;
    }

    public static async Task SayAsync(IPage page, string text)
    {
        await page.Locator("#text").FillAsync(text);
        await page.Locator("#text").PressAsync("Enter");
    }

    /// <summary>The lines of the room's log (not the outbox) whose text contains <paramref name="text"/>.</summary>
    public static ILocator Messages(IPage page, string text) =>
        page.Locator("#messages li.message").Filter(new LocatorFilterOptions { HasText = text });

    /// <summary>
    /// Keeps a screenshot next to the test binaries, and refreshes the one in docs/ when asked (HOSTKIT_UPDATE_SCREENSHOT=1),
    /// so docs/ changes only when someone means it to.
    /// </summary>
    public static async Task KeepScreenshotAsync(IPage page, string docsPath)
    {
        var shot = await page.ScreenshotAsync();
        Assert.True(shot.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']));
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, Path.GetFileName(docsPath)), shot);
        if (Environment.GetEnvironmentVariable("HOSTKIT_UPDATE_SCREENSHOT") == "1")
        {
            var target = Path.Combine(Repository.Root, docsPath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, shot);
        }
    }
}
