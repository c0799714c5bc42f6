using System.Net;
using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>Every scenario of the seed documents, end to end on the real runtime with a fake clock.</summary>
public class SeedScenarioTests : IAsyncLifetime
{
    private const string Request = """{"request":"comprehensive analysis of ACME"}""";
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartHarnessAsync();

    /// <summary>The in-memory store here; the PostgreSQL variant of this class overrides it.</summary>
    protected virtual Task<DomainHarness> StartHarnessAsync() => DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReportCase_CancelledAtMinuteThree_DeliversQuickSummary()
    {
        await _h.StartCaseAsync("r1", Processes.Report, input: Request);
        var gen = await _h.ClaimAsync("r1", "generate", "gen-1");
        await _h.HeartbeatAsync("r1", "generate", gen.LeaseToken!, new Usage(), new Usage { Tokens = 10_000, GpuSeconds = 600 });
        await _h.RunAsync(180, 5, ("r1", "generate", gen.LeaseToken!));
        await _h.HeartbeatAsync("r1", "generate", gen.LeaseToken!, new Usage { Tokens = 3_000, GpuSeconds = 180 });

        var cancel = await _h.CancelActivityAsync("r1", "alice", "Get Quick Summary Instead", "generate");

        Assert.Equal(CommandStatus.Accepted, cancel.Status);
        Assert.False(cancel.AlreadyClosed);
        var beat = await _h.HeartbeatAsync("r1", "generate", gen.LeaseToken!);
        Assert.NotNull(beat.Cancel);
        Assert.Equal(CancelMode.Standard, beat.Cancel!.Mode);
        var ack = await _h.AckAsync("r1", "generate", gen.LeaseToken!);
        Assert.True(ack.Status == CommandStatus.Ok, ack.Error);

        var summary = await _h.ClaimAsync("r1", "summary", "sum-1");
        Assert.Equal(JsonSerializer.Serialize(DomainHarness.Json(Request)), JsonSerializer.Serialize(summary.Input));
        Assert.Null(summary.Checkpoint);
        await _h.RunAsync(30, 5, ("r1", "summary", summary.LeaseToken!));
        Assert.Equal(CommandStatus.Ok, (await _h.CompleteAsync("r1", "summary", summary.LeaseToken!, """{"summary":"ACME in 250 words"}""")).Status);

        await _h.WaitForCaseAsync("r1", CaseStatus.Completed);
        var state = _h.Case("r1");
        Assert.Equal("ACME in 250 words", state.Output!.Value.GetProperty("summary").GetString());
        Assert.Equal(CaseTaskStatus.Cancelled, _h.Task("r1", "generate")!.Status);
        Assert.False(_h.Task("r1", "generate")!.Cancel!.Fenced);
        Assert.Equal(CaseTaskStatus.Completed, state.Nodes["deliver"].Status);
        Assert.Equal(7_000, state.Measures.TokensSaved);
        Assert.Equal(420, state.Measures.GpuSecondsSaved);
        var measure = Assert.Single(state.Measures.Tasks);
        Assert.Equal("generate", measure.TaskId);
        Assert.Equal(0, measure.SignalLatencySeconds);
        Assert.Contains(await _h.HistoryAsync("r1"), e => e.Type == "fallback_started" && e.TaskId == "summary");

        // Cancel path output quality: the user rates the quick summary.
        var rated = await _h.AskCaseAsync<RateOutputResult>("r1", new RateOutput { RatedBy = "alice", Rating = 4, Comment = "good enough" });
        Assert.Equal(CommandStatus.Ok, rated.Status);
        Assert.True(rated.ViaFallback);
        Assert.Equal(4.0, CancellationMetrics.Aggregate([_h.Case("r1").Measures]).MeanFallbackRating);
    }

    [Fact]
    public async Task ReportCase_CompletionAt299BeforeCancelAt300_DeliversTheReportOnce()
    {
        await _h.StartCaseAsync("r2", Processes.Report, input: Request);
        var gen = await _h.ClaimAsync("r2", "generate", "gen-1");
        await _h.RunAsync(299, 5, ("r2", "generate", gen.LeaseToken!));

        Assert.Equal(CommandStatus.Ok, (await _h.CompleteAsync("r2", "generate", gen.LeaseToken!, """{"report":"full"}""")).Status);
        await _h.WaitForCaseAsync("r2", CaseStatus.Completed);
        _h.Clock.AdvanceSeconds(1);
        var cancel = await _h.CancelActivityAsync("r2", "alice", "user navigated away", "generate");

        Assert.True(cancel.AlreadyClosed);
        Assert.Equal(CommandStatus.Ok, cancel.Status);
        var state = _h.Case("r2");
        Assert.Equal("full", state.Output!.Value.GetProperty("report").GetString());
        Assert.Equal(CaseTaskStatus.Skipped, state.Nodes["summary"].Status);
        Assert.Null(_h.Task("r2", "summary"));
        var history = await _h.HistoryAsync("r2");
        Assert.Single(history, e => e.Type == "case_completed");
        Assert.Contains(history, e => e.Type == "cancel_ignored_already_closed" && e.TaskId == "generate");
    }

    [Fact]
    public async Task ReportCase_CancelAt300CommittedBeforeCompletionFrom299Arrives_DeliversTheSummaryOnce()
    {
        await _h.StartCaseAsync("r3", Processes.Report, input: Request);
        var gen = await _h.ClaimAsync("r3", "generate", "gen-1");
        await _h.RunAsync(300, 5, ("r3", "generate", gen.LeaseToken!));

        // The generator finished at 299 s but its output is still on the wire when the cancel is committed at 300 s.
        await _h.CancelActivityAsync("r3", "alice", "user navigated away", "generate");
        await _h.WaitForTaskAsync("r3", "generate", CaseTaskStatus.Cancelling);
        var late = await _h.CompleteAsync("r3", "generate", gen.LeaseToken!, """{"report":"full"}""");

        Assert.Equal(CommandStatus.TaskCancelled, late.Status);
        var summary = await _h.ClaimAsync("r3", "summary", "sum-1");
        await _h.CompleteAsync("r3", "summary", summary.LeaseToken!, """{"summary":"short"}""");
        await _h.WaitForCaseAsync("r3", CaseStatus.Completed);
        Assert.Equal("short", _h.Case("r3").Output!.Value.GetProperty("summary").GetString());
        var history = await _h.HistoryAsync("r3");
        Assert.Single(history, e => e.Type == "case_completed");
        var discarded = Assert.Single(history, e => e.Type == "late_output_discarded");
        Assert.Equal("generate", discarded.TaskId);
        Assert.Equal("full", discarded.Detail!.Value.GetProperty("output").GetProperty("report").GetString());
    }

    [Fact]
    public async Task CancelCase_AgentNeverAcks_EscalatesFencesAndReleasesResources()
    {
        // The withdrawn investment case: the Financial Modeler runs a long external computation and never polls.
        await _h.StartCaseAsync("i1", Processes.Investment, input: """{"startup":"ACME"}""");
        var market = await _h.ClaimAsync("i1", "market", "mr-1");
        var founders = await _h.ClaimAsync("i1", "founders", "fc-1");
        var model = await _h.ClaimAsync("i1", "financials", "fm-1", killHook: "http://agents.test/fm-1/kill");
        var vm = new ResourceReleaseAction { Url = "http://cloud.test/vms/vm-1", Method = "DELETE" };
        Assert.Equal(CommandStatus.Ok, (await _h.AskTaskAsync<TaskCommandResult>("i1", "financials", new RegisterResource { LeaseToken = model.LeaseToken!, ResourceId = "vm-1", Kind = "vm", Release = vm })).Status);
        await _h.RunAsync(300, 5, ("i1", "market", market.LeaseToken!), ("i1", "founders", founders.LeaseToken!), ("i1", "financials", model.LeaseToken!));

        var cancel = await _h.CancelCaseAsync("i1", reason: "We are withdrawing our application");

        Assert.Equal(CommandStatus.Accepted, cancel.Status);
        Assert.Equal(CaseStatus.Cancelling, cancel.CaseStatus);
        foreach (var (task, lease) in new[] { ("market", market), ("founders", founders) })
        {
            Assert.NotNull((await _h.HeartbeatAsync("i1", task, lease.LeaseToken!)).Cancel);
            Assert.Equal(CommandStatus.Ok, (await _h.AckAsync("i1", task, lease.LeaseToken!)).Status);
        }

        _h.Clock.AdvanceSeconds(5);
        await _h.WaitForAsync(() => _h.SignalsFor("i1", "financials").Length == 2, "the cancel signal to be re-emitted");
        Assert.Equal(1, _h.SignalsFor("i1", "financials")[1].EscalationLevel);
        Assert.Equal(CaseTaskStatus.Cancelling, _h.Task("i1", "financials")!.Status);

        _h.Clock.AdvanceSeconds(5);
        await _h.WaitForCaseAsync("i1", CaseStatus.Cancelled);
        var modeler = _h.Task("i1", "financials")!;
        Assert.True(modeler.Cancel!.Fenced);
        Assert.Equal(CaseTaskStatus.Cancelled, modeler.Status);
        Assert.Equal(ResourceStatus.Released, _h.Registry("i1")!.Resources["vm-1"].Status);
        Assert.Contains(_h.Http.Calls, c => c.Method == "DELETE" && c.Url == "http://cloud.test/vms/vm-1");

        _h.Clock.AdvanceSeconds(5);
        await _h.WaitForAsync(() => _h.Http.CountCalls("http://agents.test/fm-1/kill") == 1, "the kill hook to be called");
        await _h.WaitForAsync(() => _h.History("i1").Any(e => e.Type == "agent_kill_hook_called"), "the kill hook outcome to be recorded");

        _h.Clock.AdvanceSeconds(600);
        var lateOutput = await _h.CompleteAsync("i1", "financials", model.LeaseToken!, """{"model":"10-year DCF"}""");
        var lateBeat = await _h.HeartbeatAsync("i1", "financials", model.LeaseToken!);

        Assert.Equal(CommandStatus.TaskCancelled, lateOutput.Status);
        Assert.Equal(CommandStatus.LeaseLost, lateBeat.Status);
        var state = _h.Case("i1");
        Assert.Null(state.Output);
        Assert.Equal(CaseTaskStatus.Cancelled, state.Nodes["close"].Status);
        Assert.Null(_h.Task("i1", "close"));
        Assert.Equal(10, state.Measures.TimeToFullTerminationSeconds);
        Assert.Equal(1, state.Measures.ResourcesReleased);
        Assert.Equal(0, state.Measures.ResourcesOrphaned);
        var history = await _h.HistoryAsync("i1");
        Assert.Contains(history, e => e.Type == "case_cancelled" && e.Actor == "alice");
        Assert.Contains(history, e => e.Type == "cancel_signal_reemitted" && e.TaskId == "financials");
        Assert.Contains(history, e => e.Type == "task_fenced" && e.TaskId == "financials");
        Assert.Contains(history, e => e.Type == "agent_unresponsive_alert" && e.TaskId == "financials");
        Assert.Contains(history, e => e.Type == "late_output_discarded" && e.TaskId == "financials");
        Assert.Contains(history, e => e.Type == "late_heartbeat_rejected" && e.TaskId == "financials");
        Assert.DoesNotContain(history, e => e.Type == "agent_unresponsive_alert" && e.TaskId != "financials");
    }

    [Fact]
    public async Task CancelCase_WithdrawalAfterIcBriefWasProduced_ReturnsAlreadyClosedAndChangesNothing()
    {
        await _h.StartCaseAsync("i2", Processes.Investment, input: """{"startup":"ACME"}""");
        foreach (var (task, agent) in new[] { ("market", "mr-1"), ("founders", "fc-1"), ("financials", "fm-1") })
        {
            var lease = await _h.ClaimAsync("i2", task, agent);
            await _h.CompleteAsync("i2", task, lease.LeaseToken!, $$"""{"{{task}}":"done"}""");
        }

        var close = await _h.ClaimAsync("i2", "close", "cc-1");
        Assert.Equal("done", close.Input!.Value.GetProperty("financials").GetProperty("financials").GetString());
        await _h.CompleteAsync("i2", "close", close.LeaseToken!, """{"icBrief":"invest"}""");
        await _h.WaitForCaseAsync("i2", CaseStatus.Completed);
        _h.Clock.AdvanceSeconds(60);

        var cancel = await _h.CancelCaseAsync("i2", reason: "We are withdrawing our application");

        Assert.Equal(CommandStatus.Ok, cancel.Status);
        Assert.True(cancel.AlreadyClosed);
        Assert.Equal(CaseStatus.Completed, cancel.CaseStatus);
        var state = _h.Case("i2");
        Assert.Equal(CaseStatus.Completed, state.Status);
        Assert.Equal("invest", state.Output!.Value.GetProperty("icBrief").GetString());
        Assert.Null(state.CancelRequest);
        Assert.Contains(await _h.HistoryAsync("i2"), e => e.Type == "cancel_ignored_already_closed" && e.Actor == "alice");
    }

    [Fact]
    public async Task CancelActivity_SignalDeliveryLost_ReemittedUntilTheAgentAcknowledges()
    {
        await _h.StartCaseAsync("r4", Processes.Report, input: Request);
        var gen = await _h.ClaimAsync("r4", "generate", "gen-1");

        // The first push is lost (no agent picks it up) and the agent does not heartbeat in that window.
        await _h.CancelActivityAsync("r4", "alice", "user navigated away", "generate");
        await _h.WaitForAsync(() => _h.SignalsFor("r4", "generate").Length == 1, "the first signal");
        _h.Clock.AdvanceSeconds(5);
        await _h.WaitForAsync(() => _h.SignalsFor("r4", "generate").Length == 2, "the re-emitted signal");

        // The fallback did not wait for the ladder: it started when the 2 s checkpoint wait ran out.
        await _h.WaitForTaskAsync("r4", "summary", CaseTaskStatus.Ready);
        Assert.Equal(CaseTaskStatus.Cancelling, _h.Task("r4", "generate")!.Status);
        Assert.Equal(CommandStatus.Ok, (await _h.AckAsync("r4", "generate", gen.LeaseToken!)).Status);
        await _h.WaitForAsync(() => _h.Case("r4").Measures.Tasks.Length == 1, "the acknowledged cancel's measure");
        var generate = _h.Task("r4", "generate")!;
        Assert.Equal(CaseTaskStatus.Cancelled, generate.Status);
        Assert.False(generate.Cancel!.Fenced);
        Assert.Equal(1, generate.Cancel.EscalationLevel);
        Assert.Equal(5, _h.Case("r4").Measures.Tasks.Single().AckLatencySeconds);
    }

    [Fact]
    public async Task CancelCase_MisparsedWithdrawalOverriddenDuringHold_CaseRunsOnAndCountsAFalseCancellation()
    {
        await _h.StartCaseAsync("i3", Processes.Investment, input: """{"startup":"ACME"}""", admins: "bob");
        var leases = new List<(string, string, string)>();
        foreach (var (task, agent) in new[] { ("market", "mr-1"), ("founders", "fc-1"), ("financials", "fm-1") })
        {
            leases.Add(("i3", task, (await _h.ClaimAsync("i3", task, agent)).LeaseToken!));
        }

        await _h.RunAsync(720, 5, [.. leases]);
        var cancel = await _h.CancelCaseAsync("i3", by: "withdrawal-detector-bot", reason: "email parsed as withdrawal", holdSeconds: 120);
        Assert.Equal(CommandStatus.Forbidden, cancel.Status);
        cancel = await _h.AskCaseAsync<CancelCaseResult>("i3", new CancelCase { RequestedBy = "ops-bot", HasAdminRole = true, Reason = "email parsed as withdrawal", HoldSeconds = 120 });

        Assert.Equal(CaseStatus.CancelPending, cancel.CaseStatus);
        Assert.Null((await _h.HeartbeatAsync("i3", "market", leases[0].Item3)).Cancel);
        await _h.RunAsync(60, 5, [.. leases]);
        var overridden = await _h.AskCaseAsync<CancelCaseResult>("i3", new OverrideCancel { RequestedBy = "bob", Reason = "it was a clarification question" });
        Assert.Equal(CommandStatus.Accepted, overridden.Status);
        Assert.Equal(CaseStatus.Running, overridden.CaseStatus);
        await _h.RunAsync(120, 5, [.. leases]);

        Assert.Equal(CaseStatus.Running, _h.Case("i3").Status);
        foreach (var (caseId, task, token) in leases)
        {
            Assert.Equal(CommandStatus.Ok, (await _h.CompleteAsync(caseId, task, token, """{"ok":true}""")).Status);
        }

        var close = await _h.ClaimAsync("i3", "close", "cc-1");
        await _h.CompleteAsync("i3", "close", close.LeaseToken!, """{"icBrief":"invest"}""");
        await _h.WaitForCaseAsync("i3", CaseStatus.Completed);
        var state = _h.Case("i3");
        Assert.Equal(1, state.Measures.FalseCancellations);
        Assert.Equal(1, state.Measures.CaseCancels);
        Assert.Equal(1, state.Measures.RefusedCancels);
        Assert.Equal("bob", state.CancelRequest!.OverriddenBy);
        var history = await _h.HistoryAsync("i3");
        Assert.Contains(history, e => e.Type == "cancel_overridden" && e.Actor == "bob");
        Assert.Contains(history, e => e.Type == "cancel_refused" && e.Actor == "withdrawal-detector-bot");
        Assert.DoesNotContain(history, e => e.Type == "cancel_signal_committed");
    }

    [Fact]
    public async Task CancelActivity_BillableApiCallInFlight_CompensatedThroughTheRegistry()
    {
        await _h.StartCaseAsync("r5", Processes.Report, input: Request);
        var gen = await _h.ClaimAsync("r5", "generate", "gen-1");
        var compensate = new ResourceReleaseAction { Url = "http://research-api.test/requests/77/cancel", Method = "POST" };
        await _h.AskTaskAsync<TaskCommandResult>("r5", "generate", new RegisterResource { LeaseToken = gen.LeaseToken!, ResourceId = "api-call-77", Kind = "billable-api-call", Release = compensate });
        await _h.WaitForAsync(() => _h.Registry("r5")?.Resources.ContainsKey("api-call-77") == true, "the call to be registered");

        await _h.CancelActivityAsync("r5", "alice", "user navigated away", "generate");
        await _h.WaitForTaskAsync("r5", "generate", CaseTaskStatus.Cancelling);
        await _h.AckAsync("r5", "generate", gen.LeaseToken!);

        await _h.WaitForAsync(() => _h.Registry("r5")!.Resources["api-call-77"].Status == ResourceStatus.Released, "the compensating call");
        var call = Assert.Single(_h.Http.Calls);
        Assert.Equal("POST", call.Method);
        Assert.Equal("http://research-api.test/requests/77/cancel", call.Url);
        Assert.Equal(CaseStatus.Running, _h.Case("r5").Status);
        await _h.WaitForViewAsync("r5", v => v.History.Any(e => e.Type == "resource_released" && e.TaskId == "generate"));
    }
}
