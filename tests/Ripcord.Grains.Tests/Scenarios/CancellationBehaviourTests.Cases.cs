using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Processes;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>Starting cases and reading their view.</summary>
public partial class CancellationBehaviourTests
{
    [Fact]
    public async Task StartCase_SameCaseIdTwice_SecondReturnsTheExistingCase()
    {
        var first = await _h.StartCaseAsync("s1", Processes.Report);
        var second = await _h.StartCaseAsync("s1", Processes.Investment);

        Assert.Equal(CommandStatus.Created, first.Status);
        Assert.Equal(CommandStatus.Ok, second.Status);
        Assert.Equal("report", _h.Case("s1").Definition!.Name);
    }

    [Fact]
    public async Task StartCase_InvalidDefinition_RefusedWithEveryFaultAndNoState()
    {
        var bad = Processes.Report with { Edges = [["generate", "nowhere"]] };

        var result = await _h.StartCaseAsync("s2", bad);

        Assert.Equal(CommandStatus.InvalidRequest, result.Status);
        Assert.Contains(result.Errors, e => e.Code == DefinitionErrorCodes.UnknownNodeInEdge && e.NodeId == "nowhere");
        Assert.False(_h.Case("s2").Exists);
    }

    [Fact]
    public async Task StartCase_ProcessReplacedAfterStart_RunningCaseKeepsItsCopy()
    {
        var repository = new GrainProcessDefinitionRepository(_h.References);
        Assert.Equal(ProcessRegistration.Created, await repository.RegisterAsync(Processes.Pipeline()));
        await _h.StartCaseAsync("s3", (await repository.FindAsync("pipeline"))!);

        var replaced = Processes.Pipeline() with { Nodes = [new NodeDefinition { Id = "work", Agent = "other-worker" }], Edges = [] };
        Assert.Equal(ProcessRegistration.Replaced, await repository.RegisterAsync(replaced));

        Assert.Equal("other-worker", (await repository.FindAsync("pipeline"))!.Nodes.Single().Agent);
        Assert.Equal(2, _h.Case("s3").Definition!.Nodes.Length);
        var claim = await _h.ClaimAsync("s3", "work", "w-1");
        Assert.Equal("worker", claim.Agent);
    }

    [Fact]
    public async Task CaseView_AfterCancel_ShowsStatusesResourcesHistoryAndMeasures()
    {
        await _h.StartCaseAsync("v1", Processes.Report);
        var gen = await _h.ClaimAsync("v1", "generate", "gen-1");
        await _h.AskTaskAsync<TaskCommandResult>("v1", "generate", new RegisterResource { LeaseToken = gen.LeaseToken!, ResourceId = "vm-1", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://cloud.test/vm-1" } });
        await _h.CancelCaseAsync("v1", reason: "user left");
        await _h.WaitForTaskAsync("v1", "generate", CaseTaskStatus.Cancelling);
        await _h.AckAsync("v1", "generate", gen.LeaseToken!);
        await _h.WaitForCaseAsync("v1", CaseStatus.Cancelled);

        var view = await _h.WaitForViewAsync("v1", v => v.History.Any(e => e.Type == "case_cancelled"));

        Assert.Equal(CaseStatus.Cancelled, view.Status);
        Assert.Equal("user left", view.Cancel!.Reason);
        Assert.Equal(["generate", "summary", "deliver"], view.Tasks.Select(t => t.TaskId));
        var generate = view.Tasks[0];
        Assert.Equal(CaseTaskStatus.Cancelled, generate.Status);
        Assert.Equal("gen-1", generate.AgentId);
        Assert.NotNull(generate.Cancel!.AckedAt);
        Assert.Equal(CaseTaskStatus.Cancelled, view.Tasks[1].Status);
        Assert.Equal(ResourceStatus.Released, Assert.Single(view.Resources).Status);
        Assert.Contains(view.History, e => e.Type == "case_cancelled");
        Assert.Equal(1, view.Measures.ResourcesReleased);
        var json = System.Text.Json.JsonSerializer.Serialize(view, RipcordJson.Options);
        Assert.Contains("\"status\":\"cancelled\"", json, StringComparison.Ordinal);
    }
}
