using Ripcord.Contracts;
using Ripcord.Grains.Tasks;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

public sealed partial class TaskMachineTests
{
    private static Decision<TaskState> Run(TaskState state, object message, double atSeconds = 0) =>
        TaskMachine.Handle(state, message, T0.AddSeconds(atSeconds), Tokens("token-9"));

    [Fact]
    public void Start_NewTask_ReadyPublishedAndTimeoutBudgetSet()
    {
        var d = Run(TaskState.Empty("c", "t"), new StartTask { Node = new NodeDefinition { Id = "t", Agent = "worker", TimeoutSeconds = 600 } });

        Assert.Equal(CaseTaskStatus.Ready, d.State.Status);
        Assert.Equal(1, d.State.Attempt);
        var ready = Assert.IsType<TaskReadyNotice>(Assert.Single(d.Of<PublishEffect>()).Payload);
        Assert.Equal("worker", ready.Agent);
        var timeout = Assert.Single(d.Of<SetReminderEffect>(), r => r.Name == TaskMachine.TimeoutReminder);
        Assert.Equal(T0.AddSeconds(600), timeout.DueAt);
        var announce = Assert.Single(d.Of<SetReminderEffect>(), r => r.Message is ReadyAnnounceDue);
        Assert.Equal(T0 + TaskMachine.ReadyAnnounceInterval, announce.DueAt);
    }

    [Fact]
    public void CancelSignalPushed_ToTheHoldingAgent_RecordsDeliveryOnce()
    {
        var ready = Run(TaskState.Empty("c", "t"), new StartTask { Node = new NodeDefinition { Id = "t", Agent = "worker" } }).State;
        var running = Run(ready, new ClaimTask { AgentId = "a-1" }).State;
        var cancelling = Run(running, new CancelTask { RequestedBy = "alice", Reason = "r" }).State;
        Assert.Null(cancelling.Cancel!.DeliveredAt);

        var stranger = Run(cancelling, new CancelSignalPushed("a-2"));
        Assert.Equal(cancelling, stranger.State);
        var pushed = Run(cancelling, new CancelSignalPushed("a-1"));
        Assert.Equal(T0, pushed.State.Cancel!.DeliveredAt);
        Assert.Single(pushed.Of<HistoryEffect>(), h => h.Event.Type == "cancel_signal_delivered");
        var again = Run(pushed.State, new CancelSignalPushed("a-1"));
        Assert.Empty(again.Of<HistoryEffect>());
        Assert.Equal(pushed.State, again.State);
    }

    [Fact]
    public void ReadyAnnounceDue_StillReady_AnnouncesAgainAndOnceClaimed_Lapses()
    {
        var ready = Run(TaskState.Empty("c", "t"), new StartTask { Node = new NodeDefinition { Id = "t", Agent = "worker" } }).State;

        var again = Run(ready, new ReadyAnnounceDue());
        Assert.Equal(ready, again.State);
        Assert.Equal("worker", Assert.IsType<TaskReadyNotice>(Assert.Single(again.Of<PublishEffect>()).Payload).Agent);
        Assert.Single(again.Of<SetReminderEffect>(), r => r.Message is ReadyAnnounceDue);

        var running = Run(ready, new ClaimTask { AgentId = "a-1" }).State;
        var lapsed = Run(running, new ReadyAnnounceDue());
        Assert.Empty(lapsed.Of<PublishEffect>());
        Assert.Empty(lapsed.Of<SetReminderEffect>());
        Assert.Equal(running, lapsed.State);
    }

    [Fact]
    public void Claim_ReadyTask_LeasesItWithATokenAndALeaseReminder()
    {
        var d = Run(Run(TaskState.Empty("c", "t"), new StartTask { Node = new NodeDefinition { Id = "t", Agent = "worker" } }).State, new ClaimTask { AgentId = "a-1" });

        var reply = Assert.IsType<ClaimResult>(Assert.Single(d.Of<ReplyEffect>()).Reply);
        Assert.Equal(CommandStatus.Ok, reply.Status);
        Assert.Equal("token-9", reply.LeaseToken);
        Assert.Equal(5, reply.HeartbeatSeconds);
        Assert.Equal(CaseTaskStatus.Running, d.State.Status);
        Assert.Equal(T0.AddSeconds(15), Assert.Single(d.Of<SetReminderEffect>()).DueAt);
    }

    [Fact]
    public void Claim_TaskAlreadyLeased_ConflictAndUnchanged()
    {
        var running = Running();

        var d = Run(running, new ClaimTask { AgentId = "a-2" });

        Assert.Equal(CommandStatus.Conflict, Assert.IsType<ClaimResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Same(running, d.State);
    }

    [Fact]
    public void Claim_TaskNeverStarted_TaskNotFound()
    {
        var d = Run(TaskState.Empty("c", "t"), new ClaimTask { AgentId = "a-1" });

        Assert.Equal(CommandStatus.TaskNotFound, Assert.IsType<ClaimResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
    }

    [Fact]
    public void Heartbeat_WrongToken_LeaseLostNoEffectsButTheReply()
    {
        var running = Running();

        var d = Run(running, new Heartbeat { LeaseToken = "forged" });

        Assert.Equal(CommandStatus.LeaseLost, Assert.IsType<HeartbeatResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply).Status);
        Assert.Same(running, d.State);
    }

    [Fact]
    public void Heartbeat_LiveLease_RenewsTheLeaseAndKeepsUsage()
    {
        var d = Run(Running(), new Heartbeat { LeaseToken = "token-1", Usage = new Usage { Tokens = 10 }, Estimate = new Usage { Tokens = 100 } }, 4);

        Assert.Equal(T0.AddSeconds(19), Assert.Single(d.Of<SetReminderEffect>()).DueAt);
        Assert.Equal(10, d.State.Usage!.Tokens);
        Assert.Equal(100, d.State.Estimate!.Tokens);
        Assert.Null(Assert.IsType<HeartbeatResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Cancel);
    }

    [Fact]
    public void LeaseExpired_AttemptsLeft_BackToReadyWithNextAttemptAndOldTokenRevoked()
    {
        var d = Run(Running(), new LeaseExpired("token-1"), 15);

        Assert.Equal(CaseTaskStatus.Ready, d.State.Status);
        Assert.Equal(2, d.State.Attempt);
        Assert.Contains("token-1", d.State.RevokedTokens);
        Assert.Equal(2, Assert.IsType<TaskReadyNotice>(Assert.Single(d.Of<PublishEffect>()).Payload).Attempt);
        Assert.Contains(d.Of<HistoryEffect>(), h => h.Event.Type == "lease_lost");
        Assert.Empty(d.Of<SendEffect>());
    }

    [Fact]
    public void Complete_WithTheTokenOfAnEarlierAttempt_LeaseLostAndRecordedAsLate()
    {
        var retried = Run(Running(), new LeaseExpired("token-1"), 15).State;

        var d = Run(retried, new CompleteTask { LeaseToken = "token-1", Output = Json("""{"zombie":true}""") }, 20);

        Assert.Equal(CommandStatus.LeaseLost, Assert.IsType<TaskCommandResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Equal("late_output_discarded", Assert.Single(d.Of<HistoryEffect>()).Event.Type);
        Assert.Null(d.State.Output);
        Assert.Equal(CaseTaskStatus.Ready, d.State.Status);
    }

    [Fact]
    public void LeaseExpired_LastAttempt_FailsAndTellsTheCase()
    {
        var d = Run(Running(new NodeDefinition { Id = "t", Agent = "worker", MaxAttempts = 1 }), new LeaseExpired("token-1"), 15);

        Assert.Equal(CaseTaskStatus.Failed, d.State.Status);
        var ended = Assert.IsType<TaskEnded>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal(CaseTaskStatus.Failed, ended.Status);
        Assert.Contains("lease lost", ended.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LeaseExpired_StaleReminderOfAnEarlierLease_Ignored()
    {
        var running = Running();

        var d = Run(running, new LeaseExpired("token-0"), 15);

        Assert.Same(running, d.State);
        Assert.Empty(d.Effects);
    }

    [Fact]
    public void Complete_RetriedAfterSuccess_SameAnswerNothingRecorded()
    {
        var completed = Run(Running(), new CompleteTask { LeaseToken = "token-1", Output = Json("{}") }).State;

        var d = Run(completed, new CompleteTask { LeaseToken = "token-1", Output = Json("{}") }, 1);

        Assert.Equal(CommandStatus.Ok, Assert.IsType<TaskCommandResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply).Status);
        Assert.Same(completed, d.State);
    }

    [Fact]
    public void Ack_RetriedAfterSuccess_SameAnswerNothingRecorded()
    {
        var acked = Run(Run(Running(), Cancel()).State, new AckCancel { LeaseToken = "token-1" }, 1).State;

        var d = Run(acked, new AckCancel { LeaseToken = "token-1" }, 2);

        Assert.Equal(CommandStatus.Ok, Assert.IsType<TaskCommandResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply).Status);
        Assert.Same(acked, d.State);
    }

    [Fact]
    public void Heartbeat_AfterTheAgentsOwnAck_LeaseLostButNotRecordedAsLate()
    {
        var acked = Run(Run(Running(), Cancel()).State, new AckCancel { LeaseToken = "token-1" }, 1).State;

        var d = Run(acked, new Heartbeat { LeaseToken = "token-1" }, 2);

        Assert.Equal(CommandStatus.LeaseLost, Assert.IsType<HeartbeatResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply).Status);
        Assert.Same(acked, d.State);
    }

    [Fact]
    public void RegisterResource_LiveLease_ForwardedToRegistry()
    {
        var d = Run(Running(), new RegisterResource { LeaseToken = "token-1", ResourceId = "vm-1", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://x.test/vm-1" } });

        var add = Assert.IsType<AddResource>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.False(add.ReleaseNow);
        Assert.Equal(GrainKeys.Registry("c"), Assert.Single(d.Of<SendEffect>()).Target);
    }

    [Fact]
    public void RegisterResource_InvalidReleaseUrl_InvalidRequestAndNothingSent()
    {
        var d = Run(Running(), new RegisterResource { LeaseToken = "token-1", ResourceId = "vm-1", Release = new ResourceReleaseAction { Url = "nope" } });

        Assert.Equal(CommandStatus.InvalidRequest, Assert.IsType<TaskCommandResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Empty(d.Of<SendEffect>());
    }

    [Fact]
    public void Timeout_RunningTask_SelfCancelsAsSystem()
    {
        var d = Run(Running(), new TaskTimedOut(600), 600);

        Assert.Equal(CaseTaskStatus.Cancelling, d.State.Status);
        Assert.Equal("system", d.State.Cancel!.RequestedBy);
        Assert.StartsWith("timeout", d.State.Cancel.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeSaved_EstimateMinusUsageWhenStopped()
    {
        var state = Run(Running(), new Heartbeat { LeaseToken = "token-1", Usage = new Usage { Tokens = 300, GpuSeconds = 30 }, Estimate = new Usage { Tokens = 1000, GpuSeconds = 100 } }).State;
        state = Run(state, Cancel()).State;

        var d = Run(state, new AckCancel { LeaseToken = "token-1", Usage = new Usage { Tokens = 350, GpuSeconds = 31 } }, 1);

        var measure = Assert.IsType<TaskEnded>(d.Of<SendEffect>().Single(s => s.Message is TaskEnded).Message).Cancel!;
        Assert.Equal(650, measure.TokensSaved);
        Assert.Equal(69, measure.GpuSecondsSaved);
    }

    [Fact]
    public void Handle_UnknownMessage_Throws()
    {
        Assert.Throws<ArgumentException>(() => Run(Running(), "not a message"));
    }

    private static TaskState WithResource(TaskState running)
    {
        var d = Run(running, new RegisterResource { LeaseToken = running.LeaseToken!, ResourceId = "vm-1", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://x.test/vm-1" } });
        Assert.True(d.State.RegisteredResources);
        return d.State;
    }
}
