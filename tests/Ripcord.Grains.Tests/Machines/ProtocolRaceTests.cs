using System.Collections.Immutable;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>Interleavings of the cancellation protocol the simulation (tests/Ripcord.Simulation) found, one machine at a time.</summary>
public sealed class ProtocolRaceTests
{
    private static readonly ResourceReleaseAction Webhook = new() { Url = "http://cloud.test/vm-1" };

    [Fact]
    public void CancelCaseForce_CaseWindingDownAfterCancelActivity_CarriedOutAsItsCancelCase()
    {
        var state = CaseMachine.Handle(CaseState.Empty("c"), new StartCase { Definition = Processes.Pipeline(), StartedBy = "alice" }, T0).State;
        state = CaseMachine.Handle(state, new CancelActivity { TaskIds = ["finish"], RequestedBy = "alice" }, T0.AddSeconds(1)).State;
        Assert.Equal(CaseStatus.Cancelling, state.Status);
        Assert.Null(state.CancelRequest);

        var d = CaseMachine.Handle(state, new CancelCase { RequestedBy = "alice", Mode = CancelMode.Force, Reason = "now" }, T0.AddSeconds(2));

        Assert.Equal(CaseStatus.ForceCancelling, d.State.Status);
        Assert.Equal(CommandStatus.Accepted, Assert.IsType<CancelCaseResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Equal((CancelMode.Force, "alice", T0.AddSeconds(2)), (d.State.CancelRequest!.Mode, d.State.CancelRequest.RequestedBy, d.State.CancelRequest.ExecutedAt));
        var force = Assert.IsType<CancelTask>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal(CancelMode.Force, force.Mode);
    }

    [Fact]
    public void AddResource_NoReleaseActionAfterTheRegistrySettled_OrphanedAndReportedAgain()
    {
        var closed = RegistryMachine.Handle(RegistryState.Empty("c"), new CloseRegistry { Reason = "ended" }, T0);
        Assert.Equal(0, Assert.IsType<ResourcesSettled>(Assert.Single(closed.Of<SendEffect>()).Message).Total);

        var d = RegistryMachine.Handle(closed.State, new AddResource { TaskId = "t", ResourceId = "vm-1", ReleaseNow = true, Release = new ResourceReleaseAction { Type = ResourceReleaseAction.NoneType } }, T0.AddSeconds(1));

        Assert.Equal(ResourceStatus.Orphaned, d.State.Resources["vm-1"].Status);
        var settled = Assert.IsType<ResourcesSettled>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal((0, 1, 1), (settled.Released, settled.Orphaned, settled.Total));
    }

    [Fact]
    public void CloseRegistry_BeforeATaskRegistrationArrived_SettlesOnlyOnceItArrivedAndWasReleased()
    {
        var closed = RegistryMachine.Handle(RegistryState.Empty("c"), new CloseRegistry { Reason = "ended", ExpectedResources = ImmutableDictionary<string, int>.Empty.Add("t", 1) }, T0);
        Assert.Empty(closed.Of<SendEffect>());

        var added = RegistryMachine.Handle(closed.State, new AddResource { TaskId = "t", ResourceId = "vm-1", Release = Webhook }, T0.AddSeconds(1));
        Assert.Equal(ResourceStatus.Releasing, added.State.Resources["vm-1"].Status);
        Assert.Empty(added.Of<SendEffect>());

        var released = RegistryMachine.Handle(added.State, new ReleaseAttemptCompleted { ResourceId = "vm-1", Attempt = 1, Success = true, StatusCode = 204 }, T0.AddSeconds(2));
        Assert.Equal(1, Assert.IsType<ResourcesSettled>(Assert.Single(released.Of<SendEffect>()).Message).Released);
    }

    [Fact]
    public void TaskEnded_CountsTheResourcesTheTaskHandedOver_AndTheCaseExpectsThemAtClose()
    {
        var task = Running();
        task = TaskMachine.Handle(task, new RegisterResource { LeaseToken = "token-1", ResourceId = "vm-1", Release = Webhook }, T0, Tokens()).State;
        task = TaskMachine.Handle(task, new RegisterResource { LeaseToken = "token-1", ResourceId = "vm-1", Release = Webhook }, T0, Tokens()).State;
        var fenced = TaskMachine.Handle(task, Cancel(CancelMode.Force), T0.AddSeconds(1), Tokens());
        var ended = Assert.IsType<TaskEnded>(fenced.Of<SendEffect>().Single(s => s.Message is TaskEnded).Message);
        Assert.Equal(1, ended.Resources);

        var state = CaseMachine.Handle(CaseState.Empty("c"), new StartCase { Definition = Processes.Pipeline(), StartedBy = "alice" }, T0).State;
        state = CaseMachine.Handle(state, new CancelCase { RequestedBy = "alice", Mode = CancelMode.Force }, T0).State;
        var d = CaseMachine.Handle(state, ended with { TaskId = "work" }, T0.AddSeconds(1));

        var close = Assert.IsType<CloseRegistry>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal(1, close.ExpectedResources["work"]);
    }

    [Fact]
    public void AckCancel_WithAnEarlierAttemptsToken_RecordedButTheCurrentLaddersFenceStillComes()
    {
        var retried = TaskMachine.Handle(Running(), new LeaseExpired("token-1"), T0.AddSeconds(15), Tokens()).State;
        var running = TaskMachine.Handle(retried, new ClaimTask { AgentId = "a-2" }, T0.AddSeconds(16), Tokens("token-2")).State;
        var cancelling = TaskMachine.Handle(running, Cancel(grace: 0), T0.AddSeconds(17), Tokens()).State;

        var zombie = TaskMachine.Handle(cancelling, new AckCancel { LeaseToken = "token-1" }, T0.AddSeconds(18), Tokens());
        Assert.Equal(CommandStatus.LeaseLost, Assert.IsType<TaskCommandResult>(Assert.Single(zombie.Of<ReplyEffect>()).Reply).Status);
        Assert.Contains(zombie.Of<HistoryEffect>(), h => h.Event.Type == "late_cancel_ack");
        Assert.Null(zombie.State.Cancel!.LateAckAt);

        var reemit = TaskMachine.Handle(zombie.State, new EscalationDue(0), T0.AddSeconds(22), Tokens());
        var fence = TaskMachine.Handle(reemit.State, new EscalationDue(1), T0.AddSeconds(27), Tokens());
        Assert.Equal(CaseTaskStatus.Cancelled, fence.State.Status);
        Assert.True(fence.State.Cancel!.Fenced);
    }
}
