using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests;

public sealed class MetricsAndClusterTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    [Fact]
    public async Task Metrics_ShowsSeedFiguresAndChartsThatGrowWithCaseChanges()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        await Session.Page.GetByRole(AriaRole.Link, new() { Name = "Metrics" }).ClickAsync();
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Metrics");

        await Expect(Session.Page.Locator("[data-metric=latency-p50]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ ms$"));
        await Expect(Session.Page.Locator("[data-metric=latency-p99]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=termination-mean]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=tokens-saved]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=orphaned]")).Not.ToHaveTextAsync("—");
        await Expect(Session.Page.Locator("[data-metric=false-cancellations]")).ToHaveTextAsync("2");
        await Expect(Session.Page.GetByRole(AriaRole.Img, new() { Name = "Cases by status" })).ToBeVisibleAsync();

        // Each case change makes the page sample again (at most once a second): the lines get points.
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.Global);
        for (var i = 0; i < 3; i++)
        {
            var before = await SampleCountAsync();
            Api.ChangeCase(CannedData.RunningReport($"r-{i + 10}"), "case_started");
            await Expect(Session.Page.Locator(".list-summary")).ToContainTextAsync($"{before + 1} samples");
        }

        await Expect(Session.Page.Locator("figure.chart polyline").First).ToBeVisibleAsync();
        await Session.ScreenshotAsync("metrics");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Cluster_ShowsSilosLeasesMailboxesAndDeadLetters()
    {
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cluster");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cluster");
        await Expect(Session.Page.Locator("[data-metric=silos]")).ToHaveTextAsync("3");
        await Expect(Session.Page.Locator("[data-metric=dead-letters]")).ToHaveTextAsync("1");
        var silo = Session.Page.Locator("tr[data-silo=silo-a1]");
        await Expect(silo).ToContainTextAsync("41");
        await Expect(silo).ToContainTextAsync("ago");
        await Expect(Session.Page.Locator("tr[data-silo=silo-c3]")).ToContainTextAsync("dead");
        await Expect(Session.Page.GetByRole(AriaRole.Cell, new() { Name = "ReleaseResource" })).ToBeVisibleAsync();
        await Session.ScreenshotAsync("cluster");
        Session.AssertNoConsoleErrors();
    }

    private async Task<int> SampleCountAsync()
    {
        var text = await Session.Page.Locator(".list-summary").TextContentAsync() ?? "";
        var match = System.Text.RegularExpressions.Regex.Match(text, @"(\d+) samples");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
