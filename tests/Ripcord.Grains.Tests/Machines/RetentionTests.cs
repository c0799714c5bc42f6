using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>Data minimization: the retention deadline, the purge, and what the case, task and registry grains erase.</summary>
public sealed class RetentionTests
{
    private static readonly RetentionSettings Retention = new() { CancelledSeconds = 3600, CompletedOrFailedSeconds = 86_400 };

    private static Decision<CaseState> Run(CaseState state, object message, double atSeconds = 0) => CaseMachine.Handle(state, message, T0.AddSeconds(atSeconds));

    private static CaseState Started(RetentionSettings? retention = null) =>
        Run(CaseState.Empty("c"), new StartCase { Definition = Processes.Report with { Retention = retention ?? Retention }, StartedBy = "alice", Admins = ["bob"], Input = Json("""{"applicant":"Ada"}""") }).State;

    /// <summary>Ended at 4 s: cancelled by alice, generate stopped with a checkpoint.</summary>
    private static Decision<CaseState> Withdrawn(RetentionSettings? retention = null)
    {
        var state = Run(Started(retention), new CancelCase { RequestedBy = "alice", Reason = "applicant withdrew" }, 1).State;
        state = Run(state, new TaskEnded { TaskId = "generate", Status = CaseTaskStatus.Cancelled, Checkpoint = Json("""{"draft":"Ada's dossier"}"""), Resources = 1 }, 3).State;
        return Run(state, new ResourcesSettled { Released = 1 }, 4);
    }

    [Fact]
    public void CaseCancelled_WithCancelledRetention_SetsTheRetentionDeadlineFromTheEnd()
    {
        var ended = Withdrawn();

        Assert.Equal(CaseStatus.Cancelled, ended.State.Status);
        var deadline = Assert.Single(ended.Of<SetReminderEffect>(), r => r.Name == CaseMachine.RetentionReminder);
        Assert.Equal(T0.AddSeconds(4 + 3600), deadline.DueAt);
        Assert.Equal(new RetentionDue(T0.AddSeconds(4)), deadline.Message);
    }

    [Fact]
    public void CaseCompleted_UsesTheOtherPeriod_AndNoneWithoutRetention()
    {
        var completed = Run(Started(), new TaskEnded { TaskId = "generate", Status = CaseTaskStatus.Completed, Output = Json("\"report\"") }, 10);
        var kept = Run(Started(RetentionSettings.Default), new TaskEnded { TaskId = "generate", Status = CaseTaskStatus.Completed, Output = Json("\"report\"") }, 10);

        Assert.Equal(CaseStatus.Completed, completed.State.Status);
        Assert.Equal(T0.AddSeconds(10 + 86_400), Assert.Single(completed.Of<SetReminderEffect>(), r => r.Name == CaseMachine.RetentionReminder).DueAt);
        Assert.Equal(CaseStatus.Completed, kept.State.Status);
        Assert.DoesNotContain(kept.Of<SetReminderEffect>(), r => r.Name == CaseMachine.RetentionReminder);
    }

    [Fact]
    public void RetentionDue_ErasesPayloadsEverywhere_KeepsStatusAndRecordsWhoAndWhy()
    {
        var ended = Withdrawn().State;

        var d = Run(ended, new RetentionDue(T0.AddSeconds(4)), 3604);

        Assert.Null(d.State.Input);
        Assert.All(d.State.Nodes.Values, n => Assert.True(n.Input is null && n.Output is null && n.Checkpoint is null));
        Assert.Equal(CaseStatus.Cancelled, d.State.Status);
        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Nodes["generate"].Status);
        Assert.Equal((T0.AddSeconds(3604), CaseMachine.System), (d.State.RedactedAt, d.State.RedactedBy));
        Assert.Equal([GrainKeys.Task("c", "generate"), GrainKeys.Registry("c")], d.Of<SendEffect>().Select(s => s.Target));
        Assert.IsType<RedactTask>(d.Of<SendEffect>().First().Message);
        Assert.Equal(new HistoryRedactionRequest("c", KeepSnapshots: false), Assert.Single(d.Of<PublishEffect>()).Payload);
        var redacted = Assert.Single(d.Of<HistoryEffect>()).Event;
        Assert.Equal(("case_redacted", CaseMachine.System), (redacted.Type, redacted.Actor));
        Assert.Contains("3600s after the case ended cancelled", redacted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RetentionDue_AuditPreservingProcess_KeepsTheSnapshotsInTheHistory()
    {
        var ended = Withdrawn(Retention with { AuditPreserving = true }).State;

        var d = Run(ended, new RetentionDue(T0.AddSeconds(4)), 3604);

        Assert.Equal(new HistoryRedactionRequest("c", KeepSnapshots: true), Assert.Single(d.Of<PublishEffect>()).Payload);
    }

    [Fact]
    public void Purge_EndedCase_RedactsAtOnceByTheAdministrator_AndAgainChangesNothing()
    {
        var ended = Withdrawn().State;

        var first = Run(ended, new PurgeCase { RequestedBy = "root", Reason = "erasure request" }, 10);
        var again = Run(first.State, new PurgeCase { RequestedBy = "eve" }, 20);
        var lateDeadline = Run(first.State, new RetentionDue(T0.AddSeconds(4)), 3604);

        var reply = Assert.IsType<PurgeCaseResult>(Assert.Single(first.Of<ReplyEffect>()).Reply);
        Assert.Equal(new PurgeCaseResult(CommandStatus.Accepted, T0.AddSeconds(10), "root"), reply);
        Assert.Equal(CaseMachine.RetentionReminder, Assert.Single(first.Of<ClearReminderEffect>()).Name);
        Assert.Equal("erasure request", Assert.Single(first.Of<HistoryEffect>()).Event.Reason);
        Assert.Equal(reply, Assert.Single(again.Effects).Is<ReplyEffect>().Reply);
        Assert.Same(first.State, again.State);
        Assert.Empty(lateDeadline.Effects);
    }

    [Fact]
    public void Purge_RunningOrUnknownCase_RefusedWithoutChange()
    {
        var running = Started();

        var conflict = Run(running, new PurgeCase { RequestedBy = "root" });
        var unknown = Run(CaseState.Empty("nope"), new PurgeCase { RequestedBy = "root" });

        Assert.Equal(CommandStatus.Conflict, Assert.IsType<PurgeCaseResult>(Assert.Single(conflict.Effects).Is<ReplyEffect>().Reply).Status);
        Assert.Same(running, conflict.State);
        Assert.Equal(CommandStatus.CaseNotFound, Assert.IsType<PurgeCaseResult>(Assert.Single(unknown.Effects).Is<ReplyEffect>().Reply).Status);
    }

    [Fact]
    public void RedactTask_ErasesInputOutputCheckpointsAndProgress_KeepsStatusAndUsage()
    {
        var state = Running();
        state = TaskMachine.Handle(state, new Heartbeat { LeaseToken = "token-1", Progress = Json("0.5"), Checkpoint = Json("""{"page":3}"""), Usage = new Usage { Tokens = 7 } }, T0.AddSeconds(1), Tokens()).State;
        state = TaskMachine.Handle(state, new CompleteTask { LeaseToken = "token-1", Output = Json("""{"dossier":"Ada"}""") }, T0.AddSeconds(2), Tokens()).State;

        var d = TaskMachine.Handle(state, new RedactTask(T0.AddSeconds(9)), T0.AddSeconds(9), Tokens());

        Assert.True(d.State is { Input: null, Output: null, Checkpoint: null, Progress: null });
        Assert.Equal((CaseTaskStatus.Completed, 7L, T0.AddSeconds(9)), (d.State.Status, d.State.Usage!.Tokens, d.State.RedactedAt));
        Assert.Empty(d.Effects);
    }

    [Fact]
    public void Redacted_ATaskStillStoppingAcksLater_ItsCheckpointStaysOutOfTheTaskAndTheCase()
    {
        // A completed case whose fallback won: the cancelled generator is still stopping when the case is purged.
        var cancelling = TaskMachine.Handle(Running(), Cancel(), T0.AddSeconds(1), Tokens()).State;
        var redacted = TaskMachine.Handle(cancelling, new RedactTask(T0.AddSeconds(2)), T0.AddSeconds(2), Tokens()).State;

        var ack = TaskMachine.Handle(redacted, new AckCancel { LeaseToken = "token-1", Checkpoint = Json("""{"draft":"Ada"}""") }, T0.AddSeconds(3), Tokens());
        var caseState = Run(Started(), new CancelActivity { TaskIds = ["generate"], RequestedBy = "alice" }, 1).State;
        caseState = Run(caseState, new FallbackDue { TaskId = "generate", WaitedSeconds = 2 }, 3).State;
        caseState = Run(caseState, new TaskEnded { TaskId = "summary", Status = CaseTaskStatus.Completed, Output = Json("""{"summary":"short"}""") }, 4).State;
        Assert.Equal((CaseStatus.Completed, CaseTaskStatus.Ready), (caseState.Status, caseState.Nodes["generate"].Status));
        caseState = Run(caseState, new PurgeCase { RequestedBy = "root" }, 5).State;
        var late = Run(caseState, new TaskEnded { TaskId = "generate", Status = CaseTaskStatus.Cancelled, Checkpoint = Json("""{"draft":"Ada"}""") }, 6);

        Assert.Equal(CaseTaskStatus.Cancelled, ack.State.Status);
        Assert.True(ack.State is { Checkpoint: null, Cancel.Checkpoint: null });
        Assert.Equal(CaseTaskStatus.Cancelled, late.State.Nodes["generate"].Status);
        Assert.Null(late.State.Nodes["generate"].Checkpoint);
        Assert.True(late.State is { Output: null, Input: null });
    }

    [Fact]
    public void RedactResources_SettledLoseTheirDetails_OneStillReleasingKeepsItsActionUntilItSettles()
    {
        var state = RegistryState.Empty("c");
        state = RegistryMachine.Handle(state, new AddResource { TaskId = "t", ResourceId = "vm-1", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://cloud.test/vm-1" } }, T0).State;
        state = RegistryMachine.Handle(state, new AddResource { TaskId = "t", ResourceId = "db-1", Kind = "db", Release = new ResourceReleaseAction { Url = "http://cloud.test/db-1" } }, T0).State;
        state = RegistryMachine.Handle(state, new ResourceFreed { TaskId = "t", ResourceId = "db-1" }, T0).State;
        state = RegistryMachine.Handle(state, new ReleaseTaskResources { TaskId = "t" }, T0).State;

        var redacted = RegistryMachine.Handle(state, new RedactResources(T0.AddSeconds(5)), T0.AddSeconds(5)).State;
        var settled = RegistryMachine.Handle(redacted, new ReleaseAttemptCompleted { ResourceId = "vm-1", Attempt = 1, Success = true, StatusCode = 204 }, T0.AddSeconds(6)).State;

        Assert.True(redacted.Resources["db-1"] is { Kind: null, Release: null, Status: ResourceStatus.Released, TaskId: "t" });
        Assert.Equal(("vm", "http://cloud.test/vm-1"), (redacted.Resources["vm-1"].Kind, redacted.Resources["vm-1"].Release?.Url));
        Assert.True(settled.Resources["vm-1"] is { Kind: null, Release: null, Status: ResourceStatus.Released });
    }

    [Theory]
    [InlineData(-1.0, null)]
    [InlineData(null, double.NaN)]
    [InlineData(null, 1e12)]
    public void Validate_RetentionOutOfRange_InvalidRetention(double? cancelled, double? other)
    {
        var definition = Processes.Report with { Retention = new RetentionSettings { CancelledSeconds = cancelled, CompletedOrFailedSeconds = other } };

        var errors = ProcessDefinitionValidator.Validate(definition);

        var error = Assert.Single(errors);
        Assert.Equal(DefinitionErrorCodes.InvalidRetention, error.Code);
        Assert.StartsWith("retention.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RetentionBlock_ReadsBothPeriodsAndAuditPreserving()
    {
        var parsed = ProcessDefinitionParser.Parse("""
            { "name": "p", "nodes": [{ "id": "a", "agent": "x" }],
              "retention": { "cancelledSeconds": 0, "completedOrFailedSeconds": 604800, "auditPreserving": true } }
            """);

        Assert.Empty(parsed.Errors);
        Assert.Equal(new RetentionSettings { CancelledSeconds = 0, CompletedOrFailedSeconds = 604_800, AuditPreserving = true }, parsed.Definition!.Retention);
    }
}
