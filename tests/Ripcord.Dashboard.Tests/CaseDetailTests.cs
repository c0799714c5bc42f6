using Microsoft.Playwright;
using Ripcord.Dashboard.Tests.Fake;
using Ripcord.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Ripcord.Dashboard.Tests;

public sealed class CaseDetailTests(BrowserFixture browser) : DashboardTestBase(browser)
{
    [Fact]
    public async Task CaseDetail_CancelledInvestment_ShowsGraphEscalatedAgentReleasedVmAndHistory()
    {
        Api.PutCase(CannedData.CancellingInvestment("i-7"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey);
        await Session.OpenCaseAsync("i-7");

        await Expect(Session.Page.Locator("#case-status")).ToHaveTextAsync("cancelled");
        await Expect(Session.Page.Locator("#case-cancel")).ToContainTextAsync("Application withdrawn by the startup");
        await Expect(Session.Page.Locator("#case-redacted")).ToHaveCountAsync(0);

        // The graph: one node per definition node, coloured (data-status) by its task.
        await Expect(Session.Page.Locator("svg.graph g.node")).ToHaveCountAsync(5);
        await Expect(Session.GraphNode("financials")).ToHaveAttributeAsync("data-status", "cancelled");
        await Expect(Session.GraphNode("close-case")).ToHaveAttributeAsync("data-status", "skipped");
        await Expect(Session.GraphNode("analyses")).ToContainTextAsync("join: all");

        // The agent that never acknowledged: escalated and fenced; the others acknowledged.
        var financials = Session.TaskRow("financials");
        await Expect(financials.Locator("[data-field=escalation]")).ToContainTextAsync("2");
        await Expect(financials.Locator("[data-field=fenced]")).ToHaveTextAsync("fenced");
        await Expect(financials.Locator("[data-field=acked]")).ToContainTextAsync("not yet");
        await Expect(financials).ToContainTextAsync("agent-9");
        await Expect(financials).ToContainTextAsync("51,000 tokens");
        await Expect(Session.TaskRow("market").Locator("[data-field=acked]")).ToContainTextAsync("600 ms");

        // Resources and their release state.
        await Expect(Session.Page.Locator("tr[data-resource=vm-model-7] [data-field=status]")).ToHaveTextAsync("released");
        await Expect(Session.Page.Locator("tr[data-resource=crm-entry-42] [data-field=status]")).ToHaveTextAsync("orphaned");
        await Expect(Session.Page.Locator("tr[data-resource=crm-entry-42]")).ToContainTextAsync("HTTP 503");

        // The full history with actor and reason.
        await Expect(Session.Page.Locator("ol.timeline > li")).ToHaveCountAsync(9);
        var fenced = Session.Page.Locator("ol.timeline > li[data-type=task_fenced]");
        await Expect(fenced).ToContainTextAsync("by system");
        await Expect(fenced).ToContainTextAsync("no acknowledgement after 2 ack timeouts");
        await Expect(Session.Page.Locator("#case-output")).ToHaveTextAsync("No output.");

        // A closed case offers no cancel controls, even to an admin.
        await Expect(Session.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel case…" })).ToHaveCountAsync(0);
        await Session.ScreenshotAsync("case-investment");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CaseDetail_RedactedCase_SaysWhenAndByWhomItsPayloadsWereErased()
    {
        var redacted = CannedData.CancellingInvestment("i-8");
        redacted["redactedAt"] = "2026-11-22T09:00:00Z";
        redacted["redactedBy"] = "root";
        Api.PutCase(redacted);
        await Session.LoginAsync(FakeRipcordApi.AdminKey);

        await Session.OpenCaseAsync("i-8");
        var notice = Session.Page.Locator("#case-redacted");
        await Expect(notice).ToContainTextAsync("Payloads erased");
        await Expect(notice).ToContainTextAsync("by root");
        await Expect(notice).ToContainTextAsync("the history keeps every event");
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CaseDetail_ReportGraph_MarksCancelPathAndFallbackNode()
    {
        Api.PutCase(CannedData.RunningReport("r-1"));
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/r-1");

        await Expect(Session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("r-1");
        await Expect(Session.Page.Locator("svg.graph path.edge.cancel[data-from=generate][data-to=summary]")).ToHaveCountAsync(1);
        await Expect(Session.GraphNode("summary")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("fallback"));
        await Expect(Session.GraphNode("generate")).ToHaveAttributeAsync("data-status", "running");
        await Expect(Session.TaskRow("generate")).ToContainTextAsync("ago");

        // Keyboard: a graph node is a button that leads to its task row.
        await Session.GraphNode("generate").FocusAsync();
        await Session.Page.Keyboard.PressAsync("Enter");
        await Expect(Session.Page.Locator("#select-generate")).ToBeFocusedAsync();
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CaseDetail_ProcessDefinitionMissing_DrawsTheTasksAlone()
    {
        var orphan = CannedData.RunningReport("x-1");
        orphan["process"] = "retired-process";
        Api.PutCase(orphan);
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/x-1");

        await Expect(Session.Page.Locator("svg.graph g.node")).ToHaveCountAsync(3);
        await Expect(Session.GraphNode("generate")).ToHaveAttributeAsync("data-status", "running");
        await Expect(Session.Page.GetByText("definition of \"retired-process\" not found; tasks only")).ToBeVisibleAsync();
        Session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CaseDetail_UnknownCase_SaysSo()
    {
        await Session.LoginAsync(FakeRipcordApi.AdminKey, "/cases/nope");
        Session.AllowHttpStatus(404);
        await Expect(Session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("There is no case \"nope\"");
        Session.AssertNoConsoleErrors();
    }
}
