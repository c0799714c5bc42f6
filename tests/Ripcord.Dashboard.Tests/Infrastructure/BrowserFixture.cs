using Microsoft.Playwright;

namespace Ripcord.Dashboard.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for the whole test run (Playwright cannot download its own browser here).
/// <c>RIPCORD_CHROMIUM</c> overrides the executable; <c>.ci/chromium.sh</c> installs the package when missing.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultExecutable = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("RIPCORD_CHROMIUM") is { Length: > 0 } path ? path : DefaultExecutable;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at {executable}; run .ci/chromium.sh (apt-get install chromium).");
        }

        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // The machine's network is closed: without these Chromium keeps trying to reach Google's services.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--no-default-browser-check",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
