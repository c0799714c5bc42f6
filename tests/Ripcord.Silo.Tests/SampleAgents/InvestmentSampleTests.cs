using System.Net.Http.Json;
using System.Text.Json;
using Ripcord.Client;
using Ripcord.Client.Models;

namespace Ripcord.Silo.Tests.SampleAgents;

/// <summary>The seed's Cancel Case scenario (application withdrawn), acted out by the sample agents over HTTP.</summary>
public sealed class InvestmentSampleTests
{
    private static readonly object Deal = new { company = "Acme Robotics", sector = "warehouse robotics", founders = new[] { "Ada Park", "Ben Okafor" } };

    [Fact]
    public async Task Withdrawal_CooperativeAgentsAck_ModelerIsFencedAndLate_VmReleasedOnce_CaseCancelledWithoutClose()
    {
        // Margins wide enough for a loaded machine: cooperative agents acknowledge in milliseconds, long before the
        // fence at twice the ack timeout (4 s); the modeler, which ignores the cancel, delivers at 10 s, after it.
        await using var silo = await SampleSilo.StartAsync(new Dictionary<string, string?> { ["Ripcord:SampleAgents:FinancialModeler:Seconds"] = "10" });
        using var client = SampleSilo.Client(silo);
        var handle = await client.StartCaseAsync(new StartCaseOptions
        {
            Process = "investment",
            Input = Deal,
            Cancel = new CancelDefaults { AckTimeoutSeconds = 2, GracePeriodSeconds = 2 },
        });
        await using var watch = new CaseWatch(handle);
        await watch.WaitForAsync("task_running", "market");
        await watch.WaitForAsync("task_running", "founders");
        await watch.WaitForAsync("task_running", "financials");
        var registered = await watch.WaitForAsync("resource_registered", "market");
        var vmId = registered.Detail!.Value.GetProperty("resourceId").GetString()!;
        Assert.Equal("running", (await VmAsync(silo, vmId)).GetProperty("state").GetString());

        var cancel = await handle.CancelAsync(new CancelOptions { Reason = "the startup withdrew its application" });

        Assert.False(cancel.AlreadyClosed);
        await watch.WaitForAsync("cancel_acknowledged", "market");
        await watch.WaitForAsync("cancel_acknowledged", "founders");
        await watch.WaitForAsync("task_fenced", "financials");
        await watch.WaitForAsync("resource_released", "market");
        await watch.WaitForAsync("case_cancelled");
        var late = await watch.WaitForAsync("late_output_discarded", "financials");
        var withdrawn = await handle.DescribeAsync();

        Assert.Equal(CaseStatus.Cancelled, withdrawn.Status);
        Assert.Null(withdrawn.Output);
        foreach (var id in new[] { "market", "founders" })
        {
            var task = withdrawn.Tasks.Single(t => t.TaskId == id);
            Assert.Equal(CaseTaskStatus.Cancelled, task.Status);
            Assert.NotNull(task.Cancel!.AckedAt);
            Assert.False(task.Cancel.Fenced);
        }

        var financials = withdrawn.Tasks.Single(t => t.TaskId == "financials");
        Assert.Equal(CaseTaskStatus.Cancelled, financials.Status);
        Assert.True(financials.Cancel!.Fenced);
        Assert.Null(financials.Cancel.AckedAt);
        Assert.True(financials.Cancel.EscalationLevel >= 2);
        Assert.Equal("financial-model", late.Detail!.Value.GetProperty("output").GetProperty("kind").GetString());
        Assert.DoesNotContain(watch.Events, e => e.Type == "cancel_acknowledged" && e.TaskId == "financials");

        // Close never ran: no agent claimed it and the case has no output.
        var close = withdrawn.Tasks.Single(t => t.TaskId == "close");
        Assert.Equal(CaseTaskStatus.Cancelled, close.Status);
        Assert.Null(close.AgentId);
        Assert.DoesNotContain(watch.Events, e => e.TaskId == "close" && e.Type is "task_ready" or "task_running");

        var vm = Assert.Single(withdrawn.Resources);
        Assert.Equal(vmId, vm.ResourceId);
        Assert.Equal(ResourceStatus.Released, vm.Status);
        var inCloud = await VmAsync(silo, vmId);
        Assert.Equal("released", inCloud.GetProperty("state").GetString());
        Assert.Equal(1, inCloud.GetProperty("releaseCalls").GetInt32());
        Assert.Equal(handle.CaseId, inCloud.GetProperty("releasedByCase").GetString());
    }

    [Fact]
    public async Task Withdrawal_WithACooperativeModeler_EveryAgentAcknowledges()
    {
        await using var silo = await SampleSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Ripcord:SampleAgents:FinancialModeler:IgnoreCancel"] = "false",
            ["Ripcord:SampleAgents:FinancialModeler:Seconds"] = "60",
        });
        using var client = SampleSilo.Client(silo);
        var handle = await client.StartCaseAsync(new StartCaseOptions { Process = "investment", Input = Deal });
        await using var watch = new CaseWatch(handle);
        await watch.WaitForAsync("task_running", "financials");
        await watch.WaitForAsync("resource_registered", "market");

        await handle.CancelAsync(new CancelOptions { Reason = "withdrawn" });

        await watch.WaitForAsync("cancel_acknowledged", "financials");
        await watch.WaitForAsync("case_cancelled");
        var withdrawn = await handle.DescribeAsync();
        Assert.All(withdrawn.Tasks.Where(t => t.Agent is "market-researcher" or "founder-checker" or "financial-modeler"), t =>
        {
            Assert.Equal(CaseTaskStatus.Cancelled, t.Status);
            Assert.False(t.Cancel!.Fenced);
        });
        Assert.Equal(ResourceStatus.Released, Assert.Single(withdrawn.Resources).Status);
    }

    [Fact]
    public async Task Uncancelled_CloseCaseWritesTheIcBrief_AndTheResearcherFreesItsVm()
    {
        await using var silo = await SampleSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Ripcord:SampleAgents:MarketResearcher:Seconds"] = "0.5",
            ["Ripcord:SampleAgents:FounderChecker:Seconds"] = "0.5",
            ["Ripcord:SampleAgents:FinancialModeler:Seconds"] = "0.5",
        });
        using var client = SampleSilo.Client(silo);
        var handle = await client.StartCaseAsync(new StartCaseOptions { Process = "investment", Input = Deal });
        await using var watch = new CaseWatch(handle);

        await watch.WaitForAsync("case_completed");
        var closed = await handle.DescribeAsync();

        var brief = closed.Output!.Value;
        Assert.Equal("ic-brief", brief.GetProperty("kind").GetString());
        Assert.Equal("Acme Robotics", brief.GetProperty("company").GetString());
        Assert.Equal(["market", "founders", "financials"], brief.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        var vm = Assert.Single(closed.Resources);
        Assert.Equal(ResourceStatus.Released, vm.Status);
        var inCloud = await VmAsync(silo, vm.ResourceId);
        Assert.Equal("released", inCloud.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, inCloud.GetProperty("releasedByCase").ValueKind);
    }

    private static async Task<JsonElement> VmAsync(RunningSilo silo, string id) =>
        await silo.Http.GetFromJsonAsync<JsonElement>(new Uri($"/sim/cloud/vms/{id}", UriKind.Relative));
}
