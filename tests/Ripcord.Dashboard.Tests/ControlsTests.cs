using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests;

public sealed class ControlsTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    [Fact]
    public async Task CancelTask_ConfirmedInDialog_PostsCancelActivityAndShowsQuickSummaryLive()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        await Session.OpenCaseAsync("r-1");
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.ForCase("r-1"));
        await Session.ScreenshotAsync("case-report-running");

        await Session.TaskRow("generate").GetByRole(AriaRole.Button, new() { Name = "Cancel task…" }).ClickAsync();
        await Expect(Session.Dialog).ToBeVisibleAsync();
        await Expect(Session.Dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Cancel task generate?");
        await Expect(Session.Dialog).ToContainTextAsync("summary");
        await Expect(Session.Dialog.GetByLabel("Reason")).ToBeFocusedAsync();
        await Session.Dialog.GetByLabel("Reason").FillAsync("User asked for a quick summary instead");
        await Session.ScreenshotAsync("dialog-cancel-task", fullPage: false);
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();

        var request = await Api.NextWriteAsync();
        Assert.Equal("cancel-task", request.Kind);
        Assert.Equal("/api/v1/cases/r-1/tasks/generate/cancel", request.Path);
        Assert.Equal("User asked for a quick summary instead", (string?)request.Body["reason"]);
        Assert.Equal("alice", request.Principal);
        await Expect(Session.Dialog).ToHaveCountAsync(0);
        await Expect(Session.Page.Locator("#toasts")).ToContainTextAsync("Cancel task generate: requested");

        // The silo cancels the generator, runs the fallback and delivers: the view follows without a reload.
        Api.ChangeCase(CannedData.ReportAfterCancelActivity("r-1", "alice", "User asked for a quick summary instead"), "case_completed");
        await Expect(Session.Page.Locator("#case-output")).ToContainTextAsync("Churn rose 2% in Q3", new() { Timeout = 2_000 });
        await Expect(Session.Page.Locator("#case-status")).ToHaveTextAsync("completed");
        await Expect(Session.GraphNode("generate")).ToHaveAttributeAsync("data-status", "cancelled");
        await Expect(Session.GraphNode("summary")).ToHaveAttributeAsync("data-status", "completed");
        await Expect(Session.Page.Locator("svg.graph path.edge.cancel.taken")).ToHaveCountAsync(1);
        await Expect(Session.TaskRow("generate").Locator("[data-field=acked]")).ToContainTextAsync("900 ms");
        await Expect(Session.Page.Locator("tr[data-resource=gpu-lease-1] [data-field=status]")).ToHaveTextAsync("released");
        await Expect(Session.Page.Locator("ol.timeline > li[data-type=task_cancel_requested]")).ToContainTextAsync("User asked for a quick summary instead");
        await Session.ScreenshotAsync("case-report");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CancelCase_ForceWithReasonAndHold_PostsThemAll()
    {
        Api.PutCase(CannedData.RunningInvestment("i-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/i-1");

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" }).ClickAsync();
        await Expect(Session.Dialog).ToBeVisibleAsync();
        await Session.Dialog.GetByLabel("Force", new() { Exact = true }).CheckAsync();
        await Session.Dialog.GetByLabel("Reason").FillAsync("Application withdrawn");
        await Session.Dialog.GetByLabel("Hold (seconds, optional)").FillAsync("30");
        await Session.ScreenshotAsync("dialog-cancel-case", fullPage: false);
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel case" }).ClickAsync();

        var request = await Api.NextWriteAsync();
        Assert.Equal("/api/v1/cases/i-1/cancel", request.Path);
        Assert.Equal("force", (string?)request.Body["mode"]);
        Assert.Equal("Application withdrawn", (string?)request.Body["reason"]);
        Assert.Equal(30, (double)request.Body["holdSeconds"]!);
        Assert.Null(request.Body["gracePeriodSeconds"]);
        await Expect(Session.Page.Locator("#toasts")).ToContainTextAsync("case cancel pending");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CancelCase_Dismissed_SendsNothingAndReturnsFocus()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/r-1");

        var open = Session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" });
        await open.FocusAsync();
        await Session.Page.Keyboard.PressAsync("Enter");
        await Expect(Session.Dialog).ToBeVisibleAsync();
        await Expect(Session.Dialog.GetByLabel("Reason")).ToBeFocusedAsync();

        // Focus stays in the dialog: Shift+Tab from the first field wraps to the last button.
        await Session.Dialog.GetByLabel("Standard", new() { Exact = true }).FocusAsync();
        await Session.Page.Keyboard.PressAsync("Shift+Tab");
        await Expect(Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel case" })).ToBeFocusedAsync();
        await Session.Page.Keyboard.PressAsync("Tab");
        await Expect(Session.Dialog.GetByLabel("Standard", new() { Exact = true })).ToBeFocusedAsync();

        await Session.Page.Keyboard.PressAsync("Escape");
        await Expect(Session.Dialog).ToHaveCountAsync(0);
        await Expect(open).ToBeFocusedAsync();

        // The reason is required: an empty form does not submit.
        await open.ClickAsync();
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel case" }).ClickAsync();
        await Expect(Session.Dialog).ToBeVisibleAsync();
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Keep running" }).ClickAsync();
        await Expect(Session.Dialog).ToHaveCountAsync(0);
        Assert.False(Api.HasPendingWrites);
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CancelSeveralTasks_MultiSelect_PostsEveryTaskId()
    {
        Api.PutCase(CannedData.RunningInvestment("i-2"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/i-2");

        var bulk = Session.Page.Locator("#cancel-selected");
        await Expect(bulk).ToBeDisabledAsync();
        await Session.Page.GetByLabel("Select task market").CheckAsync();
        await Session.Page.GetByLabel("Select task financials").CheckAsync();
        await Expect(bulk).ToHaveTextAsync("Cancel selected tasks (2)");
        await Expect(Session.Page.GetByLabel("Select task analyses")).ToHaveCountAsync(0);
        await bulk.ClickAsync();
        await Expect(Session.Dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Cancel 2 tasks?");
        await Session.Dialog.GetByLabel("Reason").FillAsync("Market and model are stale");
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel 2 tasks" }).ClickAsync();

        var request = await Api.NextWriteAsync();
        Assert.Equal("/api/v1/cases/i-2/tasks/cancel", request.Path);
        Assert.Equal(["market", "financials"], request.Body["taskIds"]!.AsArray().Select(n => (string)n!).ToArray());
        Assert.Equal("Market and model are stale", (string?)request.Body["reason"]);
        await Expect(bulk).ToHaveTextAsync("Cancel selected tasks (0)");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Hold_ConfirmAndOverride_PostToTheirEndpoints()
    {
        Api.PutCase(CannedData.HeldInvestment("i-3"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/i-3");

        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Name = "Cancel on hold" })).ToBeVisibleAsync();
        await Session.ScreenshotAsync("case-hold");

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Override: keep the case running…" }).ClickAsync();
        await Session.Dialog.GetByLabel("Reason").FillAsync("The email was a clarification, not a withdrawal");
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Override and keep running" }).ClickAsync();
        var overrideRequest = await Api.NextWriteAsync();
        Assert.Equal("/api/v1/cases/i-3/cancel/override", overrideRequest.Path);
        Assert.Equal("The email was a clarification, not a withdrawal", (string?)overrideRequest.Body["reason"]);
        await Expect(Session.Dialog).ToHaveCountAsync(0);

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm cancel now…" }).ClickAsync();
        await Session.Dialog.GetByLabel("Reason").FillAsync("Withdrawal confirmed by phone");
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm cancel" }).ClickAsync();
        var confirmRequest = await Api.NextWriteAsync();
        Assert.Equal("/api/v1/cases/i-3/cancel/confirm", confirmRequest.Path);
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CancelCase_ServerRefuses_ShowsItsMessageInTheDialog()
    {
        Api.PutCase(CannedData.RunningReport("r-9"));
        Api.RefuseWritesWith = "olga is not an administrator of case r-9";
        await Session.LoginAsync(FakeRipcordApi.OperatorKey, "/cases/r-9");
        Session.AllowHttpStatus(403);

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" }).ClickAsync();
        await Session.Dialog.GetByLabel("Reason").FillAsync("Stop it");
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel case" }).ClickAsync();
        await Expect(Session.Dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("olga is not an administrator of case r-9");
        await Expect(Session.Dialog).ToBeVisibleAsync();
        await Session.Page.Keyboard.PressAsync("Escape");
        await Expect(Session.Dialog).ToHaveCountAsync(0);
        Session.AssertNoConsoleErrors();
    }
}
