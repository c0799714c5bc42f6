using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests.RealSilo;

/// <summary>Issue 6's scenarios against a real silo with the sample agents, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RealSiloDashboardTests(BrowserFixture browser)
{
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task Report_CancelGeneratorFromTheDashboard_ShowsQuickSummaryWithoutReload()
    {
        await using var silo = await RealSiloHost.StartAsync();
        await using var session = await DashboardSession.OpenAsync(browser.Browser, silo.BaseUrl);
        await session.LoginAsync(RealSiloHost.AdminKey);

        var started = await silo.StartCaseAsync("report", "dash-report-1");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        await Expect(session.CaseRow("dash-report-1")).ToBeVisibleAsync();
        await session.OpenCaseAsync("dash-report-1");
        await Expect(session.TaskRow("generate").Locator("[data-field=status]")).ToHaveTextAsync("running", Slow);
        await session.ScreenshotAsync("real-report-running");

        await session.TaskRow("generate").GetByRole(AriaRole.Button, new() { Name = "Cancel task…" }).ClickAsync();
        await session.Dialog.GetByLabel("Reason").FillAsync("Quick summary instead");
        await session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();

        await Expect(session.Page.Locator("#case-status")).ToHaveTextAsync("completed", Slow);
        await Expect(session.TaskRow("generate").Locator("[data-field=status]")).ToHaveTextAsync("cancelled");
        await Expect(session.TaskRow("summary").Locator("[data-field=status]")).ToHaveTextAsync("completed");
        await Expect(session.Page.Locator("pre#case-output")).ToBeVisibleAsync();
        await session.ScreenshotAsync("real-report-cancelled");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Investment_CancelCase_ShowsEscalatedAgentAndReleasedVm()
    {
        await using var silo = await RealSiloHost.StartAsync();
        await using var session = await DashboardSession.OpenAsync(browser.Browser, silo.BaseUrl);
        await session.LoginAsync(RealSiloHost.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await silo.StartCaseAsync("investment", "dash-inv-1")).StatusCode);
        await session.GotoAsync("/cases/dash-inv-1");
        await Expect(session.Page.Locator("tr[data-resource] [data-field=status]").First).ToHaveTextAsync("held", Slow);

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" }).ClickAsync();
        await session.Dialog.GetByLabel("Reason").FillAsync("Application withdrawn");
        await session.Dialog.GetByLabel("Hold (seconds, optional)").FillAsync("0");
        await session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel case" }).ClickAsync();

        await Expect(session.Page.Locator("#case-status")).ToHaveTextAsync("cancelled", Slow);
        await Expect(session.Page.Locator("table.tasks [data-field=escalation]").Filter(new() { HasTextRegex = new Regex(@"[1-9]") }).First).ToBeVisibleAsync();
        await Expect(session.Page.Locator("table.resources tr").Filter(new() { HasText = "vm" }).Locator("[data-field=status]").First).ToHaveTextAsync("released");
        await session.ScreenshotAsync("real-investment-cancelled");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task RefusedCancel_AlertsTheAdministratorLiveAndOnTheCase()
    {
        await using var silo = await RealSiloHost.StartAsync();
        await using var session = await DashboardSession.OpenAsync(browser.Browser, silo.BaseUrl);
        Assert.Equal(HttpStatusCode.Created, (await silo.StartCaseAsync("report", "dash-refused-1")).StatusCode);
        await session.LoginAsync(RealSiloHost.AdminKey, "/cases/dash-refused-1");
        await Expect(session.TaskRow("generate")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "open");

        // olga is an operator but has no admin rights on alice's case.
        using var olga = silo.Client(RealSiloHost.OperatorKey);
        var refused = await olga.PostAsJsonAsync("/api/v1/cases/dash-refused-1/cancel", new { mode = "force", reason = "not mine" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        await Expect(session.Page.Locator(".toast.alert")).ToContainTextAsync("olga");
        await Expect(session.Page.Locator("#case-alerts li[data-type=cancel_refused]")).ToContainTextAsync("olga has no admin rights");
        await Expect(session.Page.Locator("#case-status")).ToHaveTextAsync("running");
        await session.ScreenshotAsync("real-refused-cancel-alert");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Viewer_SeesNoControls()
    {
        await using var silo = await RealSiloHost.StartAsync();
        await using var session = await DashboardSession.OpenAsync(browser.Browser, silo.BaseUrl);
        Assert.Equal(HttpStatusCode.Created, (await silo.StartCaseAsync("report", "dash-report-2")).StatusCode);
        await session.LoginAsync(RealSiloHost.ViewerKey, "/cases/dash-report-2");
        await Expect(session.TaskRow("generate")).ToBeVisibleAsync();
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" })).ToHaveCountAsync(0);
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel task…" })).ToHaveCountAsync(0);
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task ReadOnlyMode_HidesControlsAndTheServerRefusesWrites()
    {
        await using var silo = await RealSiloHost.StartAsync(readOnly: true);
        await using var session = await DashboardSession.OpenAsync(browser.Browser, silo.BaseUrl);
        await session.LoginAsync(RealSiloHost.AdminKey);
        await Expect(session.Page.Locator("#principal .badge.readonly")).ToBeVisibleAsync();

        using var client = silo.Client(RealSiloHost.AdminKey);
        var refused = await client.PostAsJsonAsync("/api/v1/cases", new { process = "report", caseId = "dash-ro-1" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        session.AssertNoConsoleErrors();
    }
}
