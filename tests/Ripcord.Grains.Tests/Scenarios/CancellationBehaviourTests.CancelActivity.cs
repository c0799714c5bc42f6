using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>Cancel Activity: one task or several, with checkpoints and fallbacks.</summary>
public partial class CancellationBehaviourTests
{
    [Fact]
    public async Task CancelActivity_AckWithCheckpointAndSnapshot_FallbackGetsInputAndCheckpointAndHistoryKeepsSnapshot()
    {
        await _h.StartCaseAsync("c1", Processes.Report, input: """{"request":"x"}""");
        var gen = await _h.ClaimAsync("c1", "generate", "gen-1");
        await _h.CancelActivityAsync("c1", "alice", "quick summary please", "generate");
        await _h.WaitForTaskAsync("c1", "generate", CaseTaskStatus.Cancelling);

        await _h.AckAsync("c1", "generate", gen.LeaseToken!, checkpoint: """{"draft":"two sections"}""", snapshot: """{"state":"audit me"}""");

        var summary = await _h.ClaimAsync("c1", "summary", "sum-1");
        Assert.Equal("x", summary.Input!.Value.GetProperty("request").GetString());
        Assert.Equal("two sections", summary.Checkpoint!.Value.GetProperty("draft").GetString());
        var ack = Assert.Single(await _h.HistoryAsync("c1"), e => e.Type == "cancel_acknowledged");
        Assert.Equal("audit me", ack.Detail!.Value.GetProperty("snapshot").GetProperty("state").GetString());
        Assert.Equal("gen-1", ack.Actor);
    }

    [Fact]
    public async Task CancelActivity_SeveralTasksWithOneSignal_StopsThemAllAndEndsCaseWithNoRouteLeft()
    {
        await _h.StartCaseAsync("m1", Processes.Investment);
        var leases = await ClaimAnalysesAsync("m1");

        var result = await _h.CancelActivityAsync("m1", "alice", "all three on the same request", "market", "founders", "financials");

        Assert.Equal(CommandStatus.Accepted, result.Status);
        Assert.Equal(3, result.Tasks.Length);
        foreach (var (task, token) in leases)
        {
            Assert.NotNull((await _h.HeartbeatAsync("m1", task, token)).Cancel);
            await _h.AckAsync("m1", task, token);
        }

        await _h.WaitForCaseAsync("m1", CaseStatus.Cancelled);
        var state = _h.Case("m1");
        Assert.Equal(CaseTaskStatus.Skipped, state.Nodes["analyses"].Status);
        Assert.Equal(CaseTaskStatus.Skipped, state.Nodes["close"].Status);
        Assert.Equal(3, state.Measures.Tasks.Length);
    }

    [Fact]
    public async Task CancelActivity_TaskNotStartedYet_CancelledAtOnceWithoutAgent()
    {
        await _h.StartCaseAsync("p1", Processes.Report);
        var gen = await _h.ClaimAsync("p1", "generate", "gen-1");

        var result = await _h.CancelActivityAsync("p1", "alice", "no fallback wanted", "summary");

        Assert.Equal(CaseTaskStatus.Cancelled, Assert.Single(result.Tasks).Status);
        Assert.Equal(CaseTaskStatus.Cancelled, _h.Case("p1").Nodes["summary"].Status);
        Assert.Null(_h.Task("p1", "summary"));
        await _h.CompleteAsync("p1", "generate", gen.LeaseToken!, """{"report":"full"}""");
        await _h.WaitForCaseAsync("p1", CaseStatus.Completed);
    }

    [Fact]
    public async Task CancelActivity_UnknownTask_RefusedWithTaskNotFoundAndNothingChanges()
    {
        await _h.StartCaseAsync("u1", Processes.Report);
        var before = _h.Case("u1");

        var result = await _h.CancelActivityAsync("u1", "alice", null, "generate", "nope");

        Assert.Equal(CommandStatus.TaskNotFound, result.Status);
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(_h.Case("u1")));
    }
}
