using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Tasks;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>
/// A cancelled task's fallback waits for its acknowledgement at most the node's <c>checkpointWaitSeconds</c>, then
/// starts with the latest checkpoint saved; the cancelled task's own ladder goes on regardless.
/// </summary>
public sealed class CheckpointWaitTests
{
    private static readonly NodeDefinition Generate = new() { Id = "t", Agent = "report-generator", OnCancel = "summary" };

    private static Decision<TaskState> RunTask(TaskState state, object message, double atSeconds = 0) =>
        TaskMachine.Handle(state, message, T0.AddSeconds(atSeconds), Tokens("token-9"));

    private static Decision<CaseState> RunCase(CaseState state, object message, double atSeconds = 0) =>
        CaseMachine.Handle(state, message, T0.AddSeconds(atSeconds));

    private static CancelTask CancelActivity(double grace = 10) => Cancel(grace: grace) with { RoutesToFallback = true };

    private static TaskState RunningGenerate(double? wait = null) => Running(Generate with { CheckpointWaitSeconds = wait });

    [Fact]
    public void CancelActivity_DefaultWait_ArmsTheBoundAndSendsNothingToTheCaseYet()
    {
        var d = RunTask(RunningGenerate(), CancelActivity());

        Assert.Equal(CaseTaskStatus.Cancelling, d.State.Status);
        var wait = Assert.Single(d.Of<SetReminderEffect>(), r => r.Name == TaskMachine.CheckpointWaitReminder);
        Assert.Equal(T0.AddSeconds(NodeDefinition.DefaultCheckpointWaitSeconds), wait.DueAt);
        Assert.Equal(T0.AddSeconds(2), d.State.Cancel!.FallbackDueAt);
        Assert.DoesNotContain(d.Of<SendEffect>(), s => s.Message is FallbackDue);
    }

    [Fact]
    public void WaitEnds_BeforeTheAck_HandsTheLatestSavedCheckpointOverAndTheLadderGoesOn()
    {
        var state = RunTask(RunningGenerate(), new Heartbeat { LeaseToken = "token-1", Checkpoint = Json("""{"page":3}""") }).State;
        state = RunTask(state, new Heartbeat { LeaseToken = "token-1", Checkpoint = Json("""{"page":7}""") }, 0.5).State;
        state = RunTask(state, CancelActivity(), 1).State;

        var d = RunTask(state, new CheckpointWaitEnded(state.Cancel!.SignalledAt), 3);

        var due = Assert.IsType<FallbackDue>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal(7, due.Checkpoint!.Value.GetProperty("page").GetInt32());
        Assert.Equal(2, due.WaitedSeconds);
        Assert.Equal(CaseTaskStatus.Cancelling, d.State.Status);
        Assert.True(d.State.Cancel!.FallbackHandedOver);
        Assert.Contains(d.Of<HistoryEffect>(), h => h.Event.Type == "checkpoint_wait_ended");
        Assert.DoesNotContain(d.Effects, e => e is ClearReminderEffect { Name: TaskMachine.EscalationReminder });

        var fenced = RunTask(d.State, new EscalationDue(0), 6);
        Assert.DoesNotContain(fenced.Of<SendEffect>(), s => s.Message is FallbackDue);
    }

    [Fact]
    public void AckBeforeTheWaitEnds_EndsWithItsCheckpointAndTheLaterReminderDoesNothing()
    {
        var cancelling = RunTask(RunningGenerate(), CancelActivity()).State;

        var acked = RunTask(cancelling, new AckCancel { LeaseToken = "token-1", Checkpoint = Json("""{"page":9}""") }, 1);
        var late = RunTask(acked.State, new CheckpointWaitEnded(cancelling.Cancel!.SignalledAt), 2);

        var ended = Assert.IsType<TaskEnded>(Assert.Single(acked.Of<SendEffect>(), s => s.Message is TaskEnded).Message);
        Assert.Equal(9, ended.Checkpoint!.Value.GetProperty("page").GetInt32());
        Assert.Contains(acked.Effects, e => e is ClearReminderEffect { Name: TaskMachine.CheckpointWaitReminder });
        Assert.Empty(late.Effects);
    }

    [Fact]
    public void WaitZero_HandsOverInTheTurnThatCommitsTheCancel()
    {
        var state = RunTask(RunningGenerate(0), new Heartbeat { LeaseToken = "token-1", Checkpoint = Json("""{"page":1}""") }).State;

        var d = RunTask(state, CancelActivity(), 1);

        Assert.Equal(CaseTaskStatus.Cancelling, d.State.Status);
        Assert.Contains(d.Of<PublishEffect>(), p => p.Payload is CancelSignalNotice);
        var due = Assert.IsType<FallbackDue>(Assert.Single(d.Of<SendEffect>(), s => s.Message is FallbackDue).Message);
        Assert.Equal(1, due.Checkpoint!.Value.GetProperty("page").GetInt32());
        Assert.DoesNotContain(d.Of<SetReminderEffect>(), r => r.Name == TaskMachine.CheckpointWaitReminder);
    }

    [Fact]
    public void TimeBudgetRunsOut_OnANodeWithAFallback_ArmsTheSameBound()
    {
        var d = RunTask(Running(Generate with { TimeoutSeconds = 60, CheckpointWaitSeconds = 0.5 }), new TaskTimedOut(60), 60);

        Assert.Equal(CaseTaskStatus.Cancelling, d.State.Status);
        Assert.Equal(T0.AddSeconds(60.5), Assert.Single(d.Of<SetReminderEffect>(), r => r.Name == TaskMachine.CheckpointWaitReminder).DueAt);
    }

    [Fact]
    public void CancelCase_OrAForceCancel_ArmsNoWait()
    {
        var byCase = RunTask(RunningGenerate(), Cancel());
        var force = RunTask(RunningGenerate(0), CancelActivity() with { Mode = CancelMode.Force });

        Assert.Null(byCase.State.Cancel!.FallbackDueAt);
        Assert.DoesNotContain(byCase.Of<SetReminderEffect>(), r => r.Name == TaskMachine.CheckpointWaitReminder);
        Assert.Equal(CaseTaskStatus.Cancelled, force.State.Status);
        Assert.DoesNotContain(force.Of<SendEffect>(), s => s.Message is FallbackDue);
        Assert.Single(force.Of<SendEffect>(), s => s.Message is TaskEnded);
    }

    [Fact]
    public void FencedOrAckedWithoutOne_EndsWithTheLatestSavedCheckpoint()
    {
        var saved = RunTask(RunningGenerate(), new Heartbeat { LeaseToken = "token-1", Checkpoint = Json("""{"page":4}""") }).State;

        var fenced = RunTask(saved, Cancel(CancelMode.Force), 1);
        var acked = RunTask(RunTask(saved, Cancel(), 1).State, new AckCancel { LeaseToken = "token-1" }, 2);
        var never = RunTask(RunningGenerate(), Cancel(CancelMode.Force), 1);

        Assert.Equal(4, EndedOf(fenced).Checkpoint!.Value.GetProperty("page").GetInt32());
        Assert.Equal(4, EndedOf(acked).Checkpoint!.Value.GetProperty("page").GetInt32());
        Assert.Null(EndedOf(never).Checkpoint);
    }

    [Fact]
    public void RetryAfterALostLease_ClaimsTheLatestSavedCheckpoint()
    {
        var saved = RunTask(RunningGenerate(), new Heartbeat { LeaseToken = "token-1", Checkpoint = Json("""{"page":5}""") }, 1).State;
        var lost = RunTask(saved, new LeaseExpired("token-1"), 100).State;

        var claim = RunTask(lost, new ClaimTask { AgentId = "a-2" }, 101);

        Assert.Equal(2, claim.State.Attempt);
        var result = Assert.IsType<ClaimResult>(Assert.Single(claim.Of<ReplyEffect>()).Reply);
        Assert.Equal(5, result.Checkpoint!.Value.GetProperty("page").GetInt32());
        Assert.Equal(T0.AddSeconds(1), claim.State.CheckpointSavedAt);
    }

    private static TaskEnded EndedOf(Decision<TaskState> d) =>
        Assert.IsType<TaskEnded>(Assert.Single(d.Of<SendEffect>(), s => s.Message is TaskEnded).Message);

    [Fact]
    public void CaseGetsFallbackDue_StartsTheFallbackWithTheCheckpointThenNotesTheLateOne()
    {
        var state = RunCase(CaseState.Empty("c"), new StartCase { Definition = Processes.Report, StartedBy = "alice", Input = Json("""{"q":1}""") }).State;
        var cancel = RunCase(state, new CancelActivity { TaskIds = ["generate"], RequestedBy = "alice" }, 1);
        Assert.True(Assert.IsType<CancelTask>(Assert.Single(cancel.Of<SendEffect>()).Message).RoutesToFallback);

        var due = RunCase(cancel.State, new FallbackDue { TaskId = "generate", Checkpoint = Json("""{"page":7}"""), WaitedSeconds = 2 }, 3);
        var ack = RunCase(due.State, new TaskEnded { TaskId = "generate", Status = CaseTaskStatus.Cancelled, Checkpoint = Json("""{"page":8}""") }, 4);
        var repeat = RunCase(ack.State, new FallbackDue { TaskId = "generate", WaitedSeconds = 2 }, 5);

        var start = Assert.IsType<StartTask>(Assert.Single(due.Of<SendEffect>()).Message);
        Assert.Equal("summary", start.Node.Id);
        Assert.Equal(7, start.Checkpoint!.Value.GetProperty("page").GetInt32());
        Assert.Equal(1, start.Input!.Value.GetProperty("q").GetInt32());
        Assert.Equal(CaseTaskStatus.Ready, due.State.Nodes["summary"].Status);
        Assert.Contains(due.Of<HistoryEffect>(), h => h.Event.Type == "fallback_started" && h.Event.TaskId == "summary");
        Assert.DoesNotContain(ack.Of<SendEffect>(), s => s.Message is StartTask);
        Assert.Contains(ack.Of<HistoryEffect>(), h => h.Event.Type == "checkpoint_after_fallback" && h.Event.TaskId == "generate");
        Assert.Equal(CaseTaskStatus.Cancelled, ack.State.Nodes["generate"].Status);
        Assert.Empty(repeat.Effects);
    }

    [Fact]
    public void CaseGetsFallbackDue_WhileItIsCancelled_StartsNothing()
    {
        var state = RunCase(CaseState.Empty("c"), new StartCase { Definition = Processes.Report, StartedBy = "alice" }).State;
        state = RunCase(state, new CancelActivity { TaskIds = ["generate"], RequestedBy = "alice" }, 1).State;
        state = RunCase(state, new CancelCase { RequestedBy = "alice" }, 1.5).State;

        var d = RunCase(state, new FallbackDue { TaskId = "generate", WaitedSeconds = 2 }, 3);

        Assert.Empty(d.Effects);
        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Nodes["summary"].Status);
    }
}
