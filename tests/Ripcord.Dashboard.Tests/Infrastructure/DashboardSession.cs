using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ripcord.Dashboard.Tests.Infrastructure;

/// <summary>
/// One browser context and page on the dashboard, collecting console errors and uncaught exceptions (the test fails
/// on any that it did not declare expected), and saving screenshots. Page-level steps (log in, open a case) live here
/// so tests against the fake API and against a real silo share them.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<Regex> _allowed = [];
    private readonly object _lock = new();

    private DashboardSession(IBrowserContext context, IPage page, string baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl.TrimEnd('/');
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
    }

    public IPage Page { get; }

    public string BaseUrl { get; }

    public static async Task<DashboardSession> OpenAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 800 },
            Locale = "en-GB",
            TimezoneId = "UTC",
            ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        return new DashboardSession(context, page, baseUrl);
    }

    /// <summary>Declares console errors this test provokes on purpose, e.g. the browser's note of a 401 or 403 answer.</summary>
    public void AllowConsoleError(string pattern) => _allowed.Add(new Regex(pattern, RegexOptions.IgnoreCase));

    /// <summary>The browser logs every 4xx fetch as an error; allow the one status this test expects.</summary>
    public void AllowHttpStatus(int status) => AllowConsoleError($"status of {status}");

    public IReadOnlyList<string> UnexpectedErrors()
    {
        lock (_lock)
        {
            return _errors.Where(e => !_allowed.Any(a => a.IsMatch(e))).ToList();
        }
    }

    public void AssertNoConsoleErrors()
    {
        var errors = UnexpectedErrors();
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join("\n", errors));
    }

    public async Task GotoAsync(string path = "/") => await Page.GotoAsync(BaseUrl + path);

    public async Task LoginAsync(string apiKey, string path = "/")
    {
        await GotoAsync(path);
        await Page.GetByLabel("API key").FillAsync(apiKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#principal")).Not.ToBeEmptyAsync();
    }

    public ILocator CaseRow(string caseId) => Page.Locator($"tr[data-case=\"{caseId}\"]");

    public ILocator TaskRow(string taskId) => Page.Locator($"tr[data-task=\"{taskId}\"]");

    public ILocator GraphNode(string nodeId) => Page.Locator($"svg.graph g[data-node=\"{nodeId}\"]");

    public ILocator Dialog => Page.Locator("dialog[open]");

    public async Task OpenCaseAsync(string caseId)
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = caseId, Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(caseId);
    }

    /// <summary>Saves a full-page screenshot as <c>{name}.png</c>; with <c>RIPCORD_DOC_IMAGES=1</c> also into docs/images.</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = true)
    {
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        var path = Path.Combine(RepositoryPaths.Screenshots, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        if (Environment.GetEnvironmentVariable("RIPCORD_DOC_IMAGES") == "1")
        {
            Directory.CreateDirectory(RepositoryPaths.DocImages);
            File.Copy(path, Path.Combine(RepositoryPaths.DocImages, name + ".png"), overwrite: true);
        }
    }

    private void Record(string error)
    {
        lock (_lock)
        {
            _errors.Add(error);
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
