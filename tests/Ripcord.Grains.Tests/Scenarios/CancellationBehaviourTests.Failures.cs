using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>Failures, retries, time budgets and leases: the case stops the rest and releases like a cancel.</summary>
public partial class CancellationBehaviourTests
{
    [Fact]
    public async Task Task_HeartbeatsStop_RetriedUpToMaxAttemptsThenFailsCaseAndReleasesResources()
    {
        await _h.StartCaseAsync("h1", Processes.Pipeline(maxAttempts: 2));
        var first = await _h.ClaimAsync("h1", "work", "w-1");
        await _h.AskTaskAsync<TaskCommandResult>("h1", "work", new RegisterResource { LeaseToken = first.LeaseToken!, ResourceId = "gpu-1", Kind = "gpu", Release = new ResourceReleaseAction { Url = "http://gpu.test/1" } });

        _h.Clock.AdvanceSeconds(16);
        await _h.WaitForAsync(() => _h.Task("h1", "work")?.Attempt == 2, "attempt 2");
        Assert.Equal(CaseTaskStatus.Ready, _h.Task("h1", "work")!.Status);
        Assert.Equal(CommandStatus.LeaseLost, (await _h.HeartbeatAsync("h1", "work", first.LeaseToken!)).Status);
        var second = await _h.ClaimAsync("h1", "work", "w-2");
        Assert.Equal(2, second.Attempt);
        Assert.NotEqual(first.LeaseToken, second.LeaseToken);
        _h.Clock.AdvanceSeconds(16);

        await _h.WaitForCaseAsync("h1", CaseStatus.Failed);
        await _h.WaitForAsync(() => _h.Registry("h1")!.Resources["gpu-1"].Status == ResourceStatus.Released, "the GPU to be released");
        var state = _h.Case("h1");
        Assert.Equal(CaseTaskStatus.Failed, _h.Task("h1", "work")!.Status);
        Assert.Equal(CaseTaskStatus.Skipped, state.Nodes["finish"].Status);
        Assert.Contains("work", state.EndReason, StringComparison.Ordinal);
        Assert.Equal(2, (await _h.HistoryAsync("h1")).Count(e => e.Type == "lease_lost"));
        await _h.WaitForAsync(() => _h.Case("h1").ResourcesSettledAt is not null, "the resources to settle");
    }

    [Fact]
    public async Task CaseCompleted_OtherBranchStillRunning_CancelledAndItsResourcesReleased()
    {
        await _h.StartCaseAsync("x1", Processes.Race);
        var a = await _h.ClaimAsync("x1", "a", "fast-1");
        var b = await _h.ClaimAsync("x1", "b", "slow-1");
        await _h.AskTaskAsync<TaskCommandResult>("x1", "b", new RegisterResource { LeaseToken = b.LeaseToken!, ResourceId = "vm-b", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://cloud.test/vm-b" } });

        await _h.CompleteAsync("x1", "a", a.LeaseToken!, """{"winner":"a"}""");

        await _h.WaitForCaseAsync("x1", CaseStatus.Completed);
        Assert.Equal("a", _h.Case("x1").Output!.Value.GetProperty("winner").GetString());
        await _h.WaitForTaskAsync("x1", "b", CaseTaskStatus.Cancelling);
        Assert.Equal("the case completed", (await _h.HeartbeatAsync("x1", "b", b.LeaseToken!)).Cancel!.Reason);
        await _h.AckAsync("x1", "b", b.LeaseToken!);
        await _h.WaitForAsync(() => _h.Case("x1").ResourcesSettledAt is not null, "the case's resources to settle");
        Assert.Equal(ResourceStatus.Released, _h.Registry("x1")!.Resources["vm-b"].Status);
        Assert.Equal(CaseStatus.Completed, _h.Case("x1").Status);
    }

    [Fact]
    public async Task TaskFailed_OtherTasksStoppedAndResourcesReleasedLikeACancel()
    {
        await _h.StartCaseAsync("x2", Processes.Race);
        var a = await _h.ClaimAsync("x2", "a", "fast-1");
        var b = await _h.ClaimAsync("x2", "b", "slow-1");
        await _h.AskTaskAsync<TaskCommandResult>("x2", "b", new RegisterResource { LeaseToken = b.LeaseToken!, ResourceId = "vm-b", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://cloud.test/vm-b" } });

        await _h.AskTaskAsync<TaskCommandResult>("x2", "a", new FailTask { LeaseToken = a.LeaseToken!, Error = "model crashed" });

        await _h.WaitForCaseAsync("x2", CaseStatus.Failed);
        await _h.WaitForTaskAsync("x2", "b", CaseTaskStatus.Cancelling);
        _h.Clock.AdvanceSeconds(5);
        await _h.WaitForAsync(() => _h.SignalsFor("x2", "b").Length == 2, "the re-emitted signal");
        _h.Clock.AdvanceSeconds(5);
        await _h.WaitForTaskAsync("x2", "b", CaseTaskStatus.Cancelled);
        Assert.True(_h.Task("x2", "b")!.Cancel!.Fenced);
        await _h.WaitForAsync(() => _h.Registry("x2")?.Resources["vm-b"].Status == ResourceStatus.Released, "b's VM to be released");
        Assert.Equal(CaseStatus.Failed, _h.Case("x2").Status);
        Assert.Contains("model crashed", _h.Case("x2").EndReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Task_ReportedFailureOnLastAttempt_FailsCase()
    {
        await _h.StartCaseAsync("h2", Processes.Pipeline(maxAttempts: 1));
        var lease = await _h.ClaimAsync("h2", "work", "w-1");

        var result = await _h.AskTaskAsync<TaskCommandResult>("h2", "work", new FailTask { LeaseToken = lease.LeaseToken!, Error = "out of memory" });

        Assert.Equal(CommandStatus.Ok, result.Status);
        await _h.WaitForCaseAsync("h2", CaseStatus.Failed);
        Assert.Equal("out of memory", _h.Task("h2", "work")!.Error);
    }

    [Fact]
    public async Task Task_TimeoutExceeded_CancelledAsByCancelActivityAndRoutedToFallback()
    {
        await _h.StartCaseAsync("t1", Processes.Report, input: """{"request":"x"}""");
        var gen = await _h.ClaimAsync("t1", "generate", "gen-1");
        await _h.RunAsync(600, 5, ("t1", "generate", gen.LeaseToken!));

        await _h.WaitForTaskAsync("t1", "generate", CaseTaskStatus.Cancelling);
        var beat = await _h.HeartbeatAsync("t1", "generate", gen.LeaseToken!);
        Assert.StartsWith("timeout", beat.Cancel!.Reason, StringComparison.Ordinal);
        await _h.AckAsync("t1", "generate", gen.LeaseToken!, checkpoint: """{"sections":4}""");

        var summary = await _h.ClaimAsync("t1", "summary", "sum-1");
        Assert.Equal(4, summary.Checkpoint!.Value.GetProperty("sections").GetInt32());
        Assert.Equal("system", _h.Task("t1", "generate")!.Cancel!.RequestedBy);
        Assert.Contains(await _h.HistoryAsync("t1"), e => e.Type == "task_timed_out");
    }

    [Fact]
    public async Task Agent_WrongLeaseToken_LeaseLostAndStateUnchanged()
    {
        await _h.StartCaseAsync("w1", Processes.Pipeline());
        await _h.ClaimAsync("w1", "work", "w-1");
        var before = _h.Task("w1", "work");

        var beat = await _h.HeartbeatAsync("w1", "work", "forged");
        var complete = await _h.CompleteAsync("w1", "work", "forged", "{}");

        Assert.Equal(CommandStatus.LeaseLost, beat.Status);
        Assert.Equal(CommandStatus.LeaseLost, complete.Status);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(_h.Task("w1", "work")));
    }
}
