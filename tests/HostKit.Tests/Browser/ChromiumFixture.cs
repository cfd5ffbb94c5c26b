using HostKit.Tests.Support;
using Microsoft.Playwright;

namespace HostKit.Tests.Browser;

/// <summary>
/// One headless Debian Chromium for the browser tests, driven by Playwright. No browser can be downloaded here, so
/// Playwright is pointed at /usr/bin/chromium; as root it needs --no-sandbox, and the background-networking flags keep
/// it from reaching out of this closed network (where its connections are refused).
/// </summary>
public sealed class ChromiumFixture : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser; skips the test (or fails it under HOSTKIT_REQUIRE_ALL=1) when Chromium is not installed.</summary>
    public async Task<IBrowser> GetBrowserAsync()
    {
        var executable = RequiredComponent.File(ChromiumPath, "chromium");
        await _gate.WaitAsync();
        try
        {
            _playwright ??= await Playwright.CreateAsync();
            _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = LaunchArgs,
                Timeout = 60_000,
            });
            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        _gate.Dispose();
    }
}
