using Ripcord.Contracts;
using Ripcord.Grains.Tasks;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>The task machine's cancel: the signal, the escalation ladder, force and fence, the acknowledgement, and late calls after it.</summary>
public sealed partial class TaskMachineTests
{
    [Fact]
    public void Cancel_RunningStandard_CancellingSignalPublishedAndLadderStarted()
    {
        var d = Run(Running(), Cancel(), 1);

        Assert.Equal(CaseTaskStatus.Cancelling, d.State.Status);
        var signal = Assert.IsType<CancelSignalNotice>(Assert.Single(d.Of<PublishEffect>()).Payload);
        Assert.Equal("a-1", signal.AgentId);
        Assert.Equal(T0.AddSeconds(11), signal.Deadline);
        var step = Assert.Single(d.Of<SetReminderEffect>());
        Assert.Equal(T0.AddSeconds(6), step.DueAt);
        Assert.Equal(new EscalationDue(0), step.Message);
        Assert.Equal(1, d.State.Cancel!.SignalledAt.Subtract(d.State.Cancel.RequestedAt).TotalSeconds);
    }

    [Fact]
    public void Cancel_ReadyTask_CancelledAtOnceWithoutSignal()
    {
        var ready = Run(TaskState.Empty("c", "t"), new StartTask { Node = new NodeDefinition { Id = "t", Agent = "worker" } }).State;

        var d = Run(ready, Cancel());

        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Status);
        Assert.DoesNotContain(d.Of<PublishEffect>(), p => p.Topic == OutboxTopics.TaskCancelSignal);
        Assert.Contains(d.Of<SendEffect>(), s => s.Message is TaskEnded { Status: CaseTaskStatus.Cancelled });
    }

    [Fact]
    public void Cancel_CompletedTask_LosesTheRaceAndIsRecorded()
    {
        var completed = Run(Running(), new CompleteTask { LeaseToken = "token-1", Output = Json("{}") }).State;

        var d = Run(completed, Cancel(), 1);

        Assert.Same(completed, d.State);
        Assert.Equal("cancel_lost_race", Assert.Single(d.Of<HistoryEffect>()).Event.Type);
    }

    [Fact]
    public void EscalationLadder_NoAck_ReemitsThenFencesThenAlertsAndCallsKillHook()
    {
        var state = Run(WithResource(Running(killHook: "http://kill.test")), Cancel()).State;

        var reemit = Run(state, new EscalationDue(0), 5);
        Assert.Equal(1, reemit.State.Cancel!.EscalationLevel);
        Assert.Equal(1, Assert.IsType<CancelSignalNotice>(Assert.Single(reemit.Of<PublishEffect>()).Payload).EscalationLevel);
        Assert.Equal(T0.AddSeconds(10), Assert.Single(reemit.Of<SetReminderEffect>()).DueAt);

        var fence = Run(reemit.State, new EscalationDue(1), 10);
        Assert.Equal(CaseTaskStatus.Cancelled, fence.State.Status);
        Assert.True(fence.State.Cancel!.Fenced);
        Assert.Contains("token-1", fence.State.RevokedTokens);
        Assert.Contains(fence.Of<SendEffect>(), s => s.Message is ReleaseTaskResources);
        var ended = Assert.IsType<TaskEnded>(fence.Of<SendEffect>().Single(s => s.Message is TaskEnded).Message);
        Assert.True(ended.Cancel!.Fenced);
        Assert.Null(ended.Cancel.AckLatencySeconds);
        Assert.Empty(fence.Of<PublishEffect>());

        var alert = Run(fence.State, new EscalationDue(2), 15);
        Assert.Equal(3, alert.State.Cancel!.EscalationLevel);
        Assert.Equal("http://kill.test", Assert.IsType<AgentKillRequest>(Assert.Single(alert.Of<PublishEffect>()).Payload).Url);
        Assert.Contains(alert.Of<HistoryEffect>(), h => h.Event.Type == "agent_unresponsive_alert");
        Assert.Contains(alert.Of<MeasureEffect>(), m => m.Measure == Measure.UnresponsiveAgent);
        Assert.Empty(alert.Of<SetReminderEffect>());
    }

    [Fact]
    public void EscalationLadder_GraceLongerThanFenceStep_FenceAndLaterStepsWaitForTheGraceDeadline()
    {
        var state = Run(Running(), Cancel(grace: 60)).State;

        Assert.Equal(T0.AddSeconds(5), TaskMachine.StepDue(state, 0));
        Assert.Equal(T0.AddSeconds(60), TaskMachine.StepDue(state, 1));
        Assert.Equal(T0.AddSeconds(65), TaskMachine.StepDue(state, 2));
    }

    [Fact]
    public void EscalationLadder_GraceShorterThanFenceStep_DeadlineToldIsTheFenceStep()
    {
        var d = Run(Running(), Cancel(grace: 3));

        Assert.Equal(T0.AddSeconds(10), d.State.Cancel!.Deadline);
        Assert.Equal(T0.AddSeconds(10), Assert.IsType<CancelSignalNotice>(Assert.Single(d.Of<PublishEffect>()).Payload).Deadline);
        Assert.Equal(T0.AddSeconds(10), TaskMachine.StepDue(d.State, 1));
    }

    [Fact]
    public void EscalationLadder_ConfiguredStepsAndMultipliers_Followed()
    {
        var settings = TaskSettings.Default with
        {
            Cancel = CancelSettings.Default with
            {
                AckTimeoutSeconds = 2,
                GracePeriodSeconds = 0,
                Escalation =
                [
                    new EscalationStep { AfterAckTimeouts = 1, Action = EscalationAction.Reemit },
                    new EscalationStep { AfterAckTimeouts = 2, Action = EscalationAction.Reemit },
                    new EscalationStep { AfterAckTimeouts = 4, Action = EscalationAction.Fence },
                ],
            },
        };
        var state = Run(Running(settings: settings), Cancel(grace: 0)).State;

        Assert.Equal([T0.AddSeconds(2), T0.AddSeconds(4), T0.AddSeconds(8)], [TaskMachine.StepDue(state, 0), TaskMachine.StepDue(state, 1), TaskMachine.StepDue(state, 2)]);
        state = Run(state, new EscalationDue(0), 2).State;
        state = Run(state, new EscalationDue(1), 4).State;
        Assert.Equal(CaseTaskStatus.Cancelling, state.Status);
        var fenced = Run(state, new EscalationDue(2), 8);
        Assert.True(fenced.State.Cancel!.Fenced);
        Assert.Empty(fenced.Of<SetReminderEffect>());
    }

    [Fact]
    public void EscalationDue_AfterAck_Ignored()
    {
        var acked = Run(Run(Running(), Cancel()).State, new AckCancel { LeaseToken = "token-1" }, 1).State;

        var d = Run(acked, new EscalationDue(0), 5);

        Assert.Same(acked, d.State);
        Assert.Empty(d.Effects);
    }

    [Fact]
    public void Cancel_Force_FencesAtOnceAndCallsKillHook()
    {
        var d = Run(Running(killHook: "http://kill.test"), Cancel(CancelMode.Force));

        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Status);
        Assert.True(d.State.Cancel!.Fenced);
        Assert.Contains(d.Of<PublishEffect>(), p => p.Payload is AgentKillRequest);
        Assert.Contains(d.Of<PublishEffect>(), p => p.Payload is CancelSignalNotice { Mode: CancelMode.Force });
        Assert.Empty(d.Of<SetReminderEffect>());
    }

    [Fact]
    public void Cancel_ForceOnCancellingTask_EscalatesAndFences()
    {
        var cancelling = Run(Running(), Cancel()).State;

        var d = Run(cancelling, Cancel(CancelMode.Force), 2);

        Assert.True(d.State.Cancel!.Fenced);
        Assert.Equal(CancelMode.Force, d.State.Cancel.Mode);
        Assert.Contains(d.Of<ClearReminderEffect>(), c => c.Name == TaskMachine.EscalationReminder);
        Assert.Contains(d.Of<HistoryEffect>(), h => h.Event.Type == "cancel_escalated");
    }

    [Fact]
    public void Ack_WithCheckpoint_CancelledCheckpointToCaseAndResourcesReleased()
    {
        var cancelling = Run(WithResource(Running()), Cancel()).State;

        var d = Run(cancelling, new AckCancel { LeaseToken = "token-1", Checkpoint = Json("""{"p":2}"""), Snapshot = Json("""{"s":1}""") }, 3);

        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Status);
        var ended = Assert.IsType<TaskEnded>(d.Of<SendEffect>().Single(s => s.Message is TaskEnded).Message);
        Assert.Equal(2, ended.Checkpoint!.Value.GetProperty("p").GetInt32());
        Assert.Equal(3, ended.Cancel!.AckLatencySeconds);
        Assert.Contains(d.Of<SendEffect>(), s => s.Message is ReleaseTaskResources { TaskId: "t" });
        Assert.Contains(d.Of<HistoryEffect>(), h => h.Event.Type == "cancel_acknowledged" && h.Event.Detail!.Value.GetProperty("snapshot").GetProperty("s").GetInt32() == 1);
    }

    [Fact]
    public void Ack_TaskThatRegisteredNoResource_NothingAskedOfTheRegistry()
    {
        var cancelling = Run(Running(), Cancel()).State;

        var d = Run(cancelling, new AckCancel { LeaseToken = "token-1" }, 1);

        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Status);
        Assert.False(d.State.RegisteredResources);
        Assert.Single(d.Of<SendEffect>(), s => s.Message is TaskEnded);
        Assert.DoesNotContain(d.Of<SendEffect>(), s => s.Message is ReleaseTaskResources);
    }

    [Fact]
    public void Fence_AfterAResourceOfAnEarlierAttempt_StillAsksTheRegistry()
    {
        var registered = WithResource(Running());
        var retried = Run(registered, new LeaseExpired("token-1")).State;
        Assert.True(retried.RegisteredResources);
        Assert.Equal(CaseTaskStatus.Ready, retried.Status);

        var d = Run(retried, Cancel());

        Assert.Contains(d.Of<SendEffect>(), s => s.Message is ReleaseTaskResources { TaskId: "t" });
    }

    [Fact]
    public void Ack_WithoutCancel_ConflictAndUnchanged()
    {
        var running = Running();

        var d = Run(running, new AckCancel { LeaseToken = "token-1" });

        Assert.Equal(CommandStatus.Conflict, Assert.IsType<TaskCommandResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Same(running, d.State);
    }

    [Fact]
    public void Complete_WhileCancelling_OutputDiscardedTaskCancelled()
    {
        var cancelling = Run(Running(), Cancel()).State;

        var d = Run(cancelling, new CompleteTask { LeaseToken = "token-1", Output = Json("""{"late":true}""") }, 1);

        Assert.Equal(CommandStatus.TaskCancelled, Assert.IsType<TaskCommandResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Status);
        Assert.Null(d.State.Output);
        Assert.Contains(d.Of<HistoryEffect>(), h => h.Event.Type == "late_output_discarded");
    }

    [Fact]
    public void Complete_AfterFence_RejectedAndRecordedAsLate()
    {
        var fenced = Run(Running(), Cancel(CancelMode.Force)).State;

        var d = Run(fenced, new CompleteTask { LeaseToken = "token-1", Output = Json("{}") }, 600);

        Assert.Equal(CommandStatus.TaskCancelled, Assert.IsType<TaskCommandResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Equal(fenced.Status, d.State.Status);
        Assert.Contains(d.Of<HistoryEffect>(), h => h.Event.Type == "late_output_discarded");
        Assert.Empty(d.Of<SendEffect>());
    }

    [Fact]
    public void Heartbeat_AfterFence_RecordedOnceOnly()
    {
        var fenced = Run(Running(), Cancel(CancelMode.Force)).State;

        var first = Run(fenced, new Heartbeat { LeaseToken = "token-1" }, 1);
        var second = Run(first.State, new Heartbeat { LeaseToken = "token-1" }, 2);

        Assert.Single(first.Of<HistoryEffect>());
        Assert.Empty(second.Of<HistoryEffect>());
        Assert.Equal(CommandStatus.LeaseLost, Assert.IsType<HeartbeatResult>(Assert.Single(second.Of<ReplyEffect>()).Reply).Status);
    }
}
