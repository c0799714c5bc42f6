using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;

namespace Ripcord.Grains.Tests.Scenarios;

/// <summary>
/// The Cancel Case seed's data minimization on the real runtime with a fake clock: a withdrawn applicant's data is
/// erased after the process's retention period, and its history still says who withdrew it and why.
/// </summary>
public class DataMinimizationTests : IAsyncLifetime
{
    private const string Withdrawal = "We are withdrawing our application";
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartHarnessAsync();

    /// <summary>The in-memory store here; the PostgreSQL variant of this class overrides it.</summary>
    protected virtual Task<DomainHarness> StartHarnessAsync() => DomainHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static ProcessDefinition Investment(bool auditPreserving = false) =>
        Processes.Investment with { Retention = new RetentionSettings { CancelledSeconds = 3600, AuditPreserving = auditPreserving } };

    /// <summary>The founder check finished its dossier (saving checkpoints on the way); the other analyses were still running when the applicant withdrew.</summary>
    private async Task WithdrawAsync(string caseId, ProcessDefinition definition)
    {
        await _h.StartCaseAsync(caseId, definition, input: """{"startup":"ACME","founders":["Ada Byron"]}""");
        var market = await _h.ClaimAsync(caseId, "market", "mr-1");
        var founders = await _h.ClaimAsync(caseId, "founders", "fc-1");
        var model = await _h.ClaimAsync(caseId, "financials", "fm-1");
        var vm = new ResourceReleaseAction { Url = "http://cloud.test/vms/vm-1" };
        Assert.Equal(CommandStatus.Ok, (await _h.AskTaskAsync<TaskCommandResult>(caseId, "financials", new RegisterResource { LeaseToken = model.LeaseToken!, ResourceId = "vm-1", Kind = "vm", Release = vm })).Status);
        var beat = await _h.AskTaskAsync<HeartbeatResult>(caseId, "founders", new Heartbeat { LeaseToken = founders.LeaseToken!, Checkpoint = DomainHarness.Json("""{"dossier":[{"name":"Ada Byron","checks":1}]}""") });
        Assert.Equal(CommandStatus.Ok, beat.Status);
        await _h.CompleteAsync(caseId, "founders", founders.LeaseToken!, """{"kind":"founder-dossier","founders":[{"name":"Ada Byron","previousExits":2}]}""");

        Assert.Equal(CommandStatus.Accepted, (await _h.CancelCaseAsync(caseId, by: "alice", reason: Withdrawal)).Status);
        Assert.Equal(CommandStatus.Ok, (await _h.AckAsync(caseId, "market", market.LeaseToken!, checkpoint: """{"sources":["Ada Byron's blog"]}""", snapshot: """{"audit":"3 sources read"}""")).Status);
        Assert.Equal(CommandStatus.Ok, (await _h.AckAsync(caseId, "financials", model.LeaseToken!)).Status);
        await _h.WaitForCaseAsync(caseId, CaseStatus.Cancelled);
    }

    private static string Text(IEnumerable<HistoryEvent> history) => JsonSerializer.Serialize(history, RipcordJson.Options);

    [Fact]
    public async Task WithdrawnInvestment_AfterTheRetentionPeriod_DossierAndCheckpointsGone_HistorySaysWhoWithdrewAndWhy()
    {
        await WithdrawAsync("w1", Investment());
        var before = await _h.WaitForViewAsync("w1", v => v.History.Any(e => e.Type == "case_cancelled"));
        Assert.Contains("Ada Byron", Text(before.History), StringComparison.Ordinal);
        Assert.NotNull(_h.Task("w1", "founders")!.Output);
        var deadline = Assert.Single(_h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("w1"))!.Deadlines, d => d.Name == CaseMachine.RetentionReminder);
        Assert.Equal(before.EndedAt!.Value.AddSeconds(3600), deadline.DueAt);

        _h.Clock.AdvanceSeconds(3599);
        Assert.Null(_h.Case("w1").RedactedAt);
        _h.Clock.AdvanceSeconds(1);
        // The redaction of the stored history runs beside the append of the turn's own `case_redacted`: wait for both.
        var after = await _h.WaitForViewAsync("w1", v => v.RedactedAt is not null && v.Tasks.All(t => t.Output is null)
            && !Text(v.History).Contains("Ada Byron", StringComparison.Ordinal) && v.History.Any(e => e.Type == "case_redacted"));

        Assert.Equal(CaseMachine.System, after.RedactedBy);
        Assert.Null(_h.Case("w1").Input);
        // Each task hears of the redaction by its own mail from the case, after the case's view already shows it.
        await _h.WaitForAsync(() => _h.Task("w1", "founders") is { RedactedAt: not null }, "the founders task to be redacted");
        var founders = _h.Task("w1", "founders")!;
        Assert.Equal(CaseTaskStatus.Completed, founders.Status);
        Assert.Null(founders.Input);
        Assert.Null(founders.Output);
        Assert.Null(founders.Checkpoint);
        await _h.WaitForAsync(() => _h.Task("w1", "market") is { RedactedAt: not null }, "the market task to be redacted");
        Assert.True(_h.Task("w1", "market") is { Status: CaseTaskStatus.Cancelled, Checkpoint: null, Cancel.Checkpoint: null });
        await _h.WaitForAsync(() => _h.Registry("w1")!.Resources["vm-1"] is { Kind: null, Release: null, Status: ResourceStatus.Released }, "the resource's details to be erased");

        Assert.True(after.History.Count() > before.History.Count());
        Assert.Equal(before.History.Select(e => (e.Sequence, e.Type, e.Actor, e.Reason)), after.History.Take(before.History.Count()).Select(e => (e.Sequence, e.Type, e.Actor, e.Reason)));
        Assert.Contains(after.History, e => e.Type == "cancel_requested" && e.Actor == "alice" && e.Reason == Withdrawal);
        Assert.Contains(after.History, e => e.Type == "case_cancelled" && e.Actor == "alice");
        var redacted = Assert.Single(after.History, e => e.Type == "case_redacted");
        Assert.Equal(CaseMachine.System, redacted.Actor);
        var ack = Assert.Single(after.History, e => e.Type == "cancel_acknowledged" && e.TaskId == "market").Detail!.Value;
        Assert.True(ack.GetProperty("checkpoint").GetProperty("redacted").GetBoolean());
        Assert.True(ack.GetProperty("snapshot").GetProperty("redacted").GetBoolean());
        Assert.Empty(_h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("w1"))!.Deadlines);
    }

    [Fact]
    public async Task AuditPreservingProcess_Purged_KeepsTheSnapshotsAndErasesTheRest()
    {
        await WithdrawAsync("w2", Investment(auditPreserving: true));

        var purge = await _h.AskCaseAsync<PurgeCaseResult>("w2", new PurgeCase { RequestedBy = "root", Reason = "erasure request" });
        var again = await _h.AskCaseAsync<PurgeCaseResult>("w2", new PurgeCase { RequestedBy = "eve" });

        Assert.Equal(new PurgeCaseResult(CommandStatus.Accepted, _h.Clock.GetUtcNow(), "root"), purge);
        Assert.Equal(purge, again);
        var view = await _h.WaitForViewAsync("w2", v => !Text(v.History).Contains("Ada Byron", StringComparison.Ordinal));
        Assert.Equal("root", view.RedactedBy);
        var ack = Assert.Single(view.History, e => e.Type == "cancel_acknowledged" && e.TaskId == "market").Detail!.Value;
        Assert.Equal("3 sources read", ack.GetProperty("snapshot").GetProperty("audit").GetString());
        Assert.True(ack.GetProperty("checkpoint").GetProperty("redacted").GetBoolean());
        Assert.Single(view.History, e => e.Type == "case_redacted" && e.Actor == "root" && e.Reason == "erasure request");

        // The task hears of the purge by its own mail from the case, which may come after the case's view shows it.
        await _h.WaitForAsync(() => _h.Task("w2", "founders") is { RedactedAt: not null }, "the founders task to be redacted");
        Assert.Null(_h.Task("w2", "founders")!.Output);
    }

    [Fact]
    public async Task Purge_RunningCase_ConflictAndNothingErased()
    {
        await _h.StartCaseAsync("w3", Investment(), input: """{"startup":"ACME"}""");

        var purge = await _h.AskCaseAsync<PurgeCaseResult>("w3", new PurgeCase { RequestedBy = "root" });

        Assert.Equal(CommandStatus.Conflict, purge.Status);
        Assert.Equal("ACME", _h.Case("w3").Input!.Value.GetProperty("startup").GetString());
        Assert.Null(_h.Case("w3").RedactedAt);
    }
}
