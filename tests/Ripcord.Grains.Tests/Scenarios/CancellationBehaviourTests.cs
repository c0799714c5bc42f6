using Ripcord.Contracts;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// The cancellation behaviours beyond the seed scenarios, end to end on a test cluster; this part: Cancel Case. The
/// other parts are split by concern (.CancelActivity, .Failures, .Resources, .Cases).
/// </summary>
public partial class CancellationBehaviourTests : IAsyncLifetime
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
}
