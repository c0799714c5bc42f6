using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;

namespace Ripcord.Grains.Tests.Machines;

public sealed class LifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(CaseStatus.Completed, CaseStatus.Running)]
    [InlineData(CaseStatus.Completed, CaseStatus.Cancelling)]
    [InlineData(CaseStatus.Failed, CaseStatus.Cancelled)]
    [InlineData(CaseStatus.Cancelled, CaseStatus.Cancelling)]
    [InlineData(CaseStatus.Cancelling, CaseStatus.Running)]
    [InlineData(CaseStatus.Cancelling, CaseStatus.Completed)]
    [InlineData(CaseStatus.ForceCancelling, CaseStatus.Cancelling)]
    [InlineData(CaseStatus.Running, CaseStatus.Running)]
    [InlineData(CaseStatus.Running, CaseStatus.Cancelled)]
    [InlineData(CaseStatus.CancelPending, CaseStatus.Cancelled)]
    public void CaseTransition_IllegalMove_RefusedAndNothingRecorded(CaseStatus from, CaseStatus to)
    {
        var fx = new EffectBuffer("c", Now);
        var state = CaseState.Empty("c") with { Status = from };

        var e = Assert.Throws<InvalidStatusTransitionException>(() => CaseLifecycle.Transition(state, to, "alice", null, fx));

        Assert.Equal(ApiNames.Of(from), e.From);
        Assert.Empty(fx.Effects);
    }

    [Theory]
    [InlineData(CaseStatus.Running, CaseStatus.CancelPending)]
    [InlineData(CaseStatus.CancelPending, CaseStatus.Running)]
    [InlineData(CaseStatus.Cancelling, CaseStatus.ForceCancelling)]
    [InlineData(CaseStatus.ForceCancelling, CaseStatus.Cancelled)]
    public void CaseTransition_AllowedMove_RecordsHistoryWithActorAndReason(CaseStatus from, CaseStatus to)
    {
        var fx = new EffectBuffer("c", Now);

        var state = CaseLifecycle.Transition(CaseState.Empty("c") with { Status = from }, to, "alice", "because", fx);

        Assert.Equal(to, state.Status);
        var history = Assert.IsType<HistoryEffect>(Assert.Single(fx.Effects)).Event;
        Assert.Equal("case_" + ApiNames.Of(to), history.Type);
        Assert.Equal("alice", history.Actor);
        Assert.Equal("because", history.Reason);
        Assert.Equal(Now, history.At);
        Assert.Equal(CaseLifecycle.IsTerminal(to) ? Now : null, state.EndedAt);
    }

    [Theory]
    [InlineData(CaseTaskStatus.Completed, CaseTaskStatus.Running)]
    [InlineData(CaseTaskStatus.Cancelled, CaseTaskStatus.Ready)]
    [InlineData(CaseTaskStatus.Ready, CaseTaskStatus.Completed)]
    [InlineData(CaseTaskStatus.Cancelling, CaseTaskStatus.Completed)]
    [InlineData(CaseTaskStatus.Cancelling, CaseTaskStatus.Running)]
    [InlineData(CaseTaskStatus.Pending, CaseTaskStatus.Completed)]
    [InlineData(CaseTaskStatus.Pending, CaseTaskStatus.Running)]
    [InlineData(CaseTaskStatus.Failed, CaseTaskStatus.Ready)]
    public void TaskTransition_IllegalMove_Refused(CaseTaskStatus from, CaseTaskStatus to)
    {
        var fx = new EffectBuffer("c", Now);
        var state = TaskState.Empty("c", "t") with { Status = from };

        Assert.Throws<InvalidStatusTransitionException>(() => TaskLifecycle.Transition(state, to, "agent", null, fx));
        Assert.Empty(fx.Effects);
    }

    [Fact]
    public void TaskTransition_JoinMayCompleteFromPending_ATaskMayNot()
    {
        Assert.True(TaskLifecycle.CanMove(CaseTaskStatus.Pending, CaseTaskStatus.Completed, isJoin: true));
        Assert.False(TaskLifecycle.CanMove(CaseTaskStatus.Pending, CaseTaskStatus.Completed, isJoin: false));
        Assert.False(TaskLifecycle.CanMove(CaseTaskStatus.Ready, CaseTaskStatus.Running, isJoin: true));
    }

    [Fact]
    public void TaskTransition_RunningToCancelling_RecordedWithAttemptAndAgent()
    {
        var fx = new EffectBuffer("c", Now);
        var state = TaskState.Empty("c", "t") with { Status = CaseTaskStatus.Running, Attempt = 2, AgentId = "a-1" };

        state = TaskLifecycle.Transition(state, CaseTaskStatus.Cancelling, "alice", "stop", fx);

        Assert.Equal(CaseTaskStatus.Cancelling, state.Status);
        var history = Assert.IsType<HistoryEffect>(Assert.Single(fx.Effects)).Event;
        Assert.Equal("task_cancelling", history.Type);
        Assert.Equal("t", history.TaskId);
        Assert.Equal(2, history.Detail!.Value.GetProperty("attempt").GetInt32());
        Assert.Equal("a-1", history.Detail.Value.GetProperty("agentId").GetString());
    }

    [Theory]
    [InlineData(CaseTaskStatus.Pending, CaseTaskStatus.Completed)]
    [InlineData(CaseTaskStatus.Ready, CaseTaskStatus.Running)]
    [InlineData(CaseTaskStatus.Completed, CaseTaskStatus.Cancelled)]
    public void CaseRecordOfATask_NonTerminalReportOrUnstartedTask_Refused(CaseTaskStatus known, CaseTaskStatus reported)
    {
        Assert.Throws<InvalidStatusTransitionException>(() => TaskLifecycle.EnsureReportable("c", "t", known, reported));
    }

    [Theory]
    [InlineData(ResourceStatus.Released, ResourceStatus.Held)]
    [InlineData(ResourceStatus.Released, ResourceStatus.Releasing)]
    [InlineData(ResourceStatus.Orphaned, ResourceStatus.Released)]
    [InlineData(ResourceStatus.Releasing, ResourceStatus.Held)]
    public void ResourceTransition_IllegalMove_Refused(ResourceStatus from, ResourceStatus to)
    {
        var entry = new ResourceEntry { ResourceId = "r", TaskId = "t", Status = from };

        Assert.Throws<InvalidStatusTransitionException>(() => ResourceLifecycle.Transition(entry, to, "c", "system", null, new EffectBuffer("c", Now)));
    }
}
