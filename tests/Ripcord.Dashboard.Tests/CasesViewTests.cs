using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests;

public sealed class CasesViewTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    [Fact]
    public async Task Login_ValidKey_ShowsPrincipalAndCasesWithCountsPerStatus()
    {
        Api.PutCase(CannedData.RunningReport("r-100"));
        Api.PutCase(CannedData.CancellingInvestment("i-200"));
        Api.PutCase(CannedData.HeldInvestment("i-201"));
        Api.PutCase(CannedData.RunningInvestment("i-202"));
        Api.PutCase(CannedData.ReportAfterCancelActivity("r-099", "alice", "quick summary"));

        await Session.GotoAsync("/");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Name = "Ripcord" })).ToBeVisibleAsync();
        await Session.ScreenshotAsync("login");
        await Session.LoginAsync(FakeRipcordApi.AdminKey);

        await Expect(Session.Page.Locator("#principal")).ToContainTextAsync("alice");
        await Expect(Session.Page.Locator("#principal")).ToContainTextAsync("admin");
        await Expect(Session.CaseRow("r-100")).ToContainTextAsync("running");
        await Expect(Session.CaseRow("i-200")).ToContainTextAsync("cancelled");
        await Expect(Session.CaseRow("i-201")).ToContainTextAsync("cancel pending");
        await Expect(Session.Page.Locator("button[data-status=all] .count")).ToHaveTextAsync("5");
        await Expect(Session.Page.Locator("button[data-status=running] .count")).ToHaveTextAsync("2");
        await Expect(Session.Page.Locator("button[data-status=cancelled] .count")).ToHaveTextAsync("1");
        await Expect(Session.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "open");
        await Session.ScreenshotAsync("cases");

        await Session.Page.Locator("button[data-status=cancelled]").ClickAsync();
        await Expect(Session.Page.Locator("table.cases tbody tr")).ToHaveCountAsync(1);
        await Expect(Session.CaseRow("i-200")).ToBeVisibleAsync();
        Assert.Contains("status=cancelled", Session.Page.Url, StringComparison.Ordinal);

        await Session.Page.Locator("button[data-status=all]").ClickAsync();
        await Session.Page.GetByLabel("Process").SelectOptionAsync("report");
        await Expect(Session.Page.Locator("table.cases tbody tr")).ToHaveCountAsync(2);
        await Expect(Session.CaseRow("r-100")).ToBeVisibleAsync();
        await Expect(Session.Page.Locator("button[data-status=all] .count")).ToHaveTextAsync("2");

        await Session.Page.GetByLabel("Process").SelectOptionAsync("");
        await Session.Page.GetByLabel("Search by id").FillAsync("i-20");
        await Expect(Session.Page.Locator("table.cases tbody tr")).ToHaveCountAsync(3);
        await Session.Page.GetByLabel("Search by id").FillAsync("i-201");
        await Session.Page.GetByLabel("Search by id").PressAsync("Enter");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("i-201");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CasesList_ServerPushesChanges_NewCaseAppearsAndUpdatesLive()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        await Expect(Session.CaseRow("r-1")).ToBeVisibleAsync();
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.Global);

        Api.ChangeCase(CannedData.RunningReport("r-2"), "case_started");
        await Expect(Session.CaseRow("r-2")).ToContainTextAsync("running", new() { Timeout = 2_000 });
        await Expect(Session.Page.Locator("button[data-status=all] .count")).ToHaveTextAsync("2");

        Api.ChangeCase(CannedData.ReportAfterCancelActivity("r-2", "alice", "user asked for a quick summary"), "case_completed");
        await Expect(Session.CaseRow("r-2").Locator("[data-field=status]")).ToHaveTextAsync("completed", new() { Timeout = 2_000 });
        await Expect(Session.Page.Locator("button[data-status=completed] .count")).ToHaveTextAsync("1");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task GlobalStream_Dropped_ReconnectsAndKeepsUpdating()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.Global);
        Api.ChangeCase(CannedData.RunningReport("r-2"), "case_started");
        await Expect(Session.CaseRow("r-2")).ToBeVisibleAsync();

        Api.Streams.Drop(FakeEventStreams.Global);
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.Global, count: 2);
        var reconnect = Api.Streams.Opened.Where(o => o.Stream == FakeEventStreams.Global).Last();
        Assert.False(string.IsNullOrEmpty(reconnect.LastEventId), "the reconnect carries Last-Event-ID");

        Api.ChangeCase(CannedData.RunningReport("r-3"), "case_started");
        await Expect(Session.CaseRow("r-3")).ToBeVisibleAsync(new() { Timeout = 2_000 });
        await Expect(Session.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "open");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Keyboard_SkipLinkFiltersAndCaseLink_WorkWithoutAMouse()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        Api.PutCase(CannedData.CancellingInvestment("i-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        await Expect(Session.CaseRow("r-1")).ToBeVisibleAsync();
        await Session.Page.ReloadAsync();
        await Expect(Session.CaseRow("r-1")).ToBeVisibleAsync();

        // The first Tab reaches the skip link, which is then visible; Enter moves to the page's heading.
        await Session.Page.Keyboard.PressAsync("Tab");
        var skip = Session.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await Session.Page.Keyboard.PressAsync("Enter");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Name = "Cases", Level = 1 })).ToBeFocusedAsync();

        // Next come the status filters: buttons that toggle with the keyboard.
        await Session.Page.Keyboard.PressAsync("Tab");
        await Expect(Session.Page.Locator("button[data-status=all]")).ToBeFocusedAsync();
        await Session.Page.Keyboard.PressAsync("Tab");
        await Session.Page.Keyboard.PressAsync("Enter");
        await Expect(Session.Page.Locator("button[data-status=running]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Session.Page.Locator("button[data-status=running]")).ToBeFocusedAsync();
        await Expect(Session.Page.Locator("table.cases tbody tr")).ToHaveCountAsync(1);

        // Tab on to the case link and open it.
        var link = Session.Page.GetByRole(AriaRole.Link, new() { Name = "r-1", Exact = true });
        for (var i = 0; i < 20 && !await link.EvaluateAsync<bool>("el => el === document.activeElement"); i++)
        {
            await Session.Page.Keyboard.PressAsync("Tab");
        }

        await Expect(link).ToBeFocusedAsync();
        await Session.Page.Keyboard.PressAsync("Enter");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("r-1");
        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeFocusedAsync();
        Session.AssertNoConsoleErrors();
    }
}
