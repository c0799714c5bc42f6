using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests;

/// <summary>An administrator erases an ended case's payloads from its page (data minimization).</summary>
public sealed class PurgeTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    private const string EraseButton = "Erase payloads…";

    [Fact]
    public async Task An_administrator_erases_an_ended_case_s_payloads_and_the_page_shows_the_redaction()
    {
        Api.PutCase(CannedData.ReportAfterCancelActivity("p-1", "alice", "quick summary instead"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/p-1");
        await Api.Streams.WaitForConnectionAsync(FakeEventStreams.ForCase("p-1"));

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = EraseButton }).ClickAsync();
        await Expect(Session.Dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Erase the payloads of p-1?");
        await Expect(Session.Dialog.GetByLabel("Reason")).ToBeFocusedAsync();
        await Session.Dialog.GetByLabel("Reason").FillAsync("The applicant asked for erasure");
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Erase payloads" }).ClickAsync();

        var request = await Api.NextWriteAsync();
        Assert.Equal("purge-case", request.Kind);
        Assert.Equal("/api/v1/cases/p-1/purge", request.Path);
        Assert.Equal("The applicant asked for erasure", (string?)request.Body["reason"]);
        await Expect(Session.Dialog).ToHaveCountAsync(0);
        await Expect(Session.Page.Locator("#toasts")).ToContainTextAsync("Payloads erased");

        // The silo redacts the case: the page follows, shows who erased it, and offers no second purge.
        var redacted = CannedData.ReportAfterCancelActivity("p-1", "alice", "quick summary instead");
        redacted["redactedAt"] = "2026-11-21T09:30:00Z";
        redacted["redactedBy"] = "alice";
        Api.ChangeCase(redacted, "case_redacted");
        await Expect(Session.Page.Locator("#case-redacted")).ToContainTextAsync("by alice");
        await Expect(Session.Page.GetByRole(AriaRole.Button, new() { Name = EraseButton })).ToHaveCountAsync(0);
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_operator_may_cancel_but_is_not_offered_the_purge()
    {
        Api.PutCase(CannedData.ReportAfterCancelActivity("p-2", "alice", "quick summary instead"));
        await Session.LoginAsync(FakeRipcordApi.OperatorKey, "/cases/p-2");

        await Expect(Session.Page.Locator("#case-status")).ToHaveTextAsync("completed");
        await Expect(Session.Page.GetByRole(AriaRole.Button, new() { Name = EraseButton })).ToHaveCountAsync(0);
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_running_case_offers_its_cancel_and_no_purge()
    {
        Api.PutCase(CannedData.RunningReport("p-3"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/p-3");

        await Expect(Session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" })).ToBeVisibleAsync();
        await Expect(Session.Page.GetByRole(AriaRole.Button, new() { Name = EraseButton })).ToHaveCountAsync(0);
        Assert.False(Api.HasPendingWrites);
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_refused_purge_shows_the_server_s_message_in_the_dialog()
    {
        Api.PutCase(CannedData.ReportAfterCancelActivity("p-4", "alice", "quick summary instead"));
        Api.RefuseWritesWith = "alice may not purge this case";
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/p-4");
        Session.AllowHttpStatus(403);

        await Session.Page.GetByRole(AriaRole.Button, new() { Name = EraseButton }).ClickAsync();
        await Session.Dialog.GetByLabel("Reason").FillAsync("Erasure request");
        await Session.Dialog.GetByRole(AriaRole.Button, new() { Name = "Erase payloads" }).ClickAsync();

        Assert.Equal("/api/v1/cases/p-4/purge", (await Api.NextWriteAsync()).Path);
        await Expect(Session.Dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("alice may not purge this case");
        await Expect(Session.Dialog).ToBeVisibleAsync();
        Session.AssertNoConsoleErrors();
    }
}
