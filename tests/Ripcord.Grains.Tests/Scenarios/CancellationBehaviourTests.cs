using System.Net;
using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Processes;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>The behaviours of issue 3 beyond the seed scenarios, end to end on the runtime.</summary>
public class CancellationBehaviourTests : IAsyncLifetime
{
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartHarnessAsync();

    /// <summary>The in-memory store here; the PostgreSQL variant of this class overrides it.</summary>
    protected virtual Task<DomainHarness> StartHarnessAsync() => DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<(string Task, string Token)[]> ClaimAnalysesAsync(string caseId, bool withKillHooks = false)
    {
        var leases = new List<(string, string)>();
        foreach (var (task, agent) in new[] { ("market", "mr-1"), ("founders", "fc-1"), ("financials", "fm-1") })
        {
            var claim = await _h.ClaimAsync(caseId, task, agent, withKillHooks ? $"http://agents.test/{agent}/kill" : null);
            leases.Add((task, claim.LeaseToken!));
        }

        return [.. leases];
    }

    [Fact]
    public async Task CancelCase_Force_FencesEveryTaskAtOnceAndCallsKillHooks()
    {
        await _h.StartCaseAsync("f1", Processes.Investment);
        var leases = await ClaimAnalysesAsync("f1", withKillHooks: true);

        var result = await _h.CancelCaseAsync("f1", mode: CancelMode.Force, reason: "stop now");

        Assert.Equal(CaseStatus.ForceCancelling, result.CaseStatus);
        await _h.WaitForCaseAsync("f1", CaseStatus.Cancelled);
        foreach (var (task, token) in leases)
        {
            var state = _h.Task("f1", task)!;
            Assert.True(state.Cancel!.Fenced);
            Assert.Equal(CancelMode.Force, state.Cancel.Mode);
            Assert.Equal(CommandStatus.LeaseLost, (await _h.HeartbeatAsync("f1", task, token)).Status);
        }

        await _h.WaitForAsync(() => _h.Http.Calls.Count(c => c.Url.EndsWith("/kill", StringComparison.Ordinal)) == 3, "three kill hooks");
        Assert.Equal(0, _h.Case("f1").Measures.TimeToFullTerminationSeconds);
    }

    [Fact]
    public async Task CancelCase_ForceOnCancellingCase_EscalatesToForceCancelling()
    {
        await _h.StartCaseAsync("f2", Processes.Investment);
        await ClaimAnalysesAsync("f2");
        await _h.AskCaseAsync<CancelCaseResult>("f2", new CancelCase { RequestedBy = "alice", GracePeriodSeconds = 300 });
        await _h.WaitForTaskAsync("f2", "market", CaseTaskStatus.Cancelling);

        var force = await _h.CancelCaseAsync("f2", by: "alice", mode: CancelMode.Force, reason: "standard cancel is stuck");

        Assert.Equal(CommandStatus.Accepted, force.Status);
        Assert.Equal(CaseStatus.ForceCancelling, force.CaseStatus);
        await _h.WaitForCaseAsync("f2", CaseStatus.Cancelled);
        Assert.All(["market", "founders", "financials"], t => Assert.True(_h.Task("f2", t)!.Cancel!.Fenced));
        var history = await _h.HistoryAsync("f2");
        Assert.Contains(history, e => e.Type == "case_force_cancelling");
        Assert.Equal(3, history.Count(e => e.Type == "cancel_escalated" && e.TaskId is not null));
    }

    [Fact]
    public async Task CancelCase_StandardWithLongGrace_FenceWaitsForTheGraceDeadline()
    {
        await _h.StartCaseAsync("f3", Processes.Investment);
        await ClaimAnalysesAsync("f3");
        await _h.AskCaseAsync<CancelCaseResult>("f3", new CancelCase { RequestedBy = "alice", GracePeriodSeconds = 60 });

        // Every task's grace period starts from its own cancel turn: let all three run before time moves.
        foreach (var task in new[] { "market", "founders", "financials" })
        {
            await _h.WaitForTaskAsync("f3", task, CaseTaskStatus.Cancelling);
        }

        _h.Clock.AdvanceSeconds(30);
        await _h.WaitForAsync(() => _h.SignalsFor("f3", "market").Length == 2, "the re-emit after the ack timeout");
        Assert.Equal(CaseTaskStatus.Cancelling, _h.Task("f3", "market")!.Status);
        _h.Clock.AdvanceSeconds(30);

        await _h.WaitForCaseAsync("f3", CaseStatus.Cancelled);
        Assert.Equal(60, _h.Case("f3").Measures.TimeToFullTerminationSeconds);
        Assert.True(_h.Task("f3", "market")!.Cancel!.Fenced);
    }

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

    [Fact]
    public async Task CancelCase_UnknownCase_CaseNotFound()
    {
        var result = await _h.CancelCaseAsync("missing");

        Assert.Equal(CommandStatus.CaseNotFound, result.Status);
        Assert.Null(_h.Record<Ripcord.Grains.Cases.CaseState>(Ripcord.Grains.Storage.RipcordStorage.CaseState, Ripcord.Grains.Storage.GrainKeys.Case("missing")));
    }

    [Fact]
    public async Task CancelCase_ByPrincipalWithoutRights_RefusedRecordedAndNothingElseChanges()
    {
        await _h.StartCaseAsync("a1", Processes.Report, startedBy: "alice", admins: "bob");

        var refused = await _h.CancelCaseAsync("a1", by: "mallory", reason: "because");
        var byAdmin = await _h.CancelCaseAsync("a1", by: "bob", reason: "listed admin");

        Assert.Equal(CommandStatus.Forbidden, refused.Status);
        Assert.Equal(CommandStatus.Accepted, byAdmin.Status);
        var history = await _h.HistoryAsync("a1");
        var refusal = Assert.Single(history, e => e.Type == "cancel_refused");
        Assert.Equal("mallory", refusal.Actor);
        Assert.Equal("bob", _h.Case("a1").CancelRequest!.RequestedBy);
    }

    [Fact]
    public async Task CancelCase_HoldEndsWithoutOverride_CancelRuns()
    {
        await _h.StartCaseAsync("h3", Processes.Report, cancel: new CancelOverrides { HoldSeconds = 30 });
        var gen = await _h.ClaimAsync("h3", "generate", "gen-1");

        var held = await _h.CancelCaseAsync("h3");
        Assert.Equal(CaseStatus.CancelPending, held.CaseStatus);
        await _h.RunAsync(30, 5, ("h3", "generate", gen.LeaseToken!));

        await _h.WaitForCaseAsync("h3", CaseStatus.Cancelling);

        // The case's record is read from storage, written before its mail reached the task.
        await _h.WaitForTaskAsync("h3", "generate", CaseTaskStatus.Cancelling);
        Assert.NotNull((await _h.HeartbeatAsync("h3", "generate", gen.LeaseToken!)).Cancel);
        await _h.AckAsync("h3", "generate", gen.LeaseToken!);
        await _h.WaitForCaseAsync("h3", CaseStatus.Cancelled);
        Assert.Equal(CaseTaskStatus.Cancelled, _h.Case("h3").Nodes["summary"].Status);
    }

    [Fact]
    public async Task CancelCase_ConfirmedDuringHold_CancelRunsAtOnce()
    {
        await _h.StartCaseAsync("h4", Processes.Report, cancel: new CancelOverrides { HoldSeconds = 300 });
        await _h.ClaimAsync("h4", "generate", "gen-1");
        await _h.CancelCaseAsync("h4");

        var confirmed = await _h.AskCaseAsync<CancelCaseResult>("h4", new ConfirmCancel { RequestedBy = "alice" });

        Assert.Equal(CaseStatus.Cancelling, confirmed.CaseStatus);
        await _h.WaitForTaskAsync("h4", "generate", CaseTaskStatus.Cancelling);
        var again = await _h.AskCaseAsync<CancelCaseResult>("h4", new OverrideCancel { RequestedBy = "alice" });
        Assert.Equal(CommandStatus.Conflict, again.Status);
    }

    [Fact]
    public async Task Resource_RegisteredByFencedAgent_RejectedButReleasedAtOnce()
    {
        await _h.StartCaseAsync("z1", Processes.Investment);
        var leases = await ClaimAnalysesAsync("z1");
        await _h.CancelCaseAsync("z1", mode: CancelMode.Force);
        await _h.WaitForCaseAsync("z1", CaseStatus.Cancelled);

        var late = await _h.AskTaskAsync<TaskCommandResult>("z1", "market", new RegisterResource { LeaseToken = leases[0].Token, ResourceId = "vm-9", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://cloud.test/vms/vm-9" } });

        Assert.Equal(CommandStatus.TaskCancelled, late.Status);
        await _h.WaitForAsync(() => _h.Registry("z1")?.Resources.GetValueOrDefault("vm-9")?.Status == ResourceStatus.Released, "the late VM to be released");
        Assert.Contains(await _h.HistoryAsync("z1"), e => e.Type == "late_resource_call_rejected");
    }

    [Fact]
    public async Task Registry_ReleaseWebhookKeepsFailing_RetriedWithBackoffThenOrphanedAndCaseStillEnds()
    {
        _h.Http.Responder = _ => HttpStatusCode.InternalServerError;
        await _h.StartCaseAsync("o1", Processes.Pipeline());
        var lease = await _h.ClaimAsync("o1", "work", "w-1");
        await _h.AskTaskAsync<TaskCommandResult>("o1", "work", new RegisterResource { LeaseToken = lease.LeaseToken!, ResourceId = "bucket-1", Kind = "bucket", Release = new ResourceReleaseAction { Url = "http://store.test/bucket-1" } });
        await _h.CancelCaseAsync("o1", mode: CancelMode.Force);

        foreach (var (attempt, wait) in new[] { (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0) })
        {
            await _h.WaitForAsync(() => _h.Http.CountCalls("http://store.test/bucket-1") == attempt && _h.Registry("o1")!.Resources["bucket-1"].LastError is not null, $"attempt {attempt} to fail");
            await _h.WaitForAsync(() => _h.History("o1").Count(e => e.Type == "resource_release_retry") == attempt, $"retry {attempt} to be scheduled");
            _h.Clock.AdvanceSeconds(wait);
        }

        await _h.WaitForCaseAsync("o1", CaseStatus.Cancelled);
        Assert.Equal(5, _h.Http.CountCalls("http://store.test/bucket-1"));
        Assert.Equal(ResourceStatus.Orphaned, _h.Registry("o1")!.Resources["bucket-1"].Status);
        Assert.Equal(1, _h.Case("o1").Measures.ResourcesOrphaned);
        Assert.Contains(await _h.HistoryAsync("o1"), e => e.Type == "resource_release_alert");
    }

    [Fact]
    public async Task Resource_FreedByItsAgent_NotReleasedAgain()
    {
        await _h.StartCaseAsync("fr1", Processes.Pipeline());
        var lease = await _h.ClaimAsync("fr1", "work", "w-1");
        await _h.AskTaskAsync<TaskCommandResult>("fr1", "work", new RegisterResource { LeaseToken = lease.LeaseToken!, ResourceId = "tmp-1", Release = new ResourceReleaseAction { Url = "http://tmp.test/1" } });
        await _h.AskTaskAsync<TaskCommandResult>("fr1", "work", new FreeResource { LeaseToken = lease.LeaseToken!, ResourceId = "tmp-1" });

        await _h.CancelCaseAsync("fr1", mode: CancelMode.Force);

        await _h.WaitForCaseAsync("fr1", CaseStatus.Cancelled);
        Assert.Equal(ResourceStatus.Released, _h.Registry("fr1")!.Resources["tmp-1"].Status);
        Assert.Empty(_h.Http.Calls);
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
        var repository = new GrainProcessDefinitionRepository(_h.Grains);
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
