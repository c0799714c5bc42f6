using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

public sealed partial class CaseMachineTests
{
    private static Decision<CaseState> Run(CaseState state, object message, double atSeconds = 0) => CaseMachine.Handle(state, message, T0.AddSeconds(atSeconds));

    private static CaseState Started(ProcessDefinition definition, CancelOverrides? cancel = null) =>
        Run(CaseState.Empty("c"), new StartCase { Definition = definition, StartedBy = "alice", Admins = ["bob"], Input = Json("""{"q":1}"""), Cancel = cancel }).State;

    private static TaskEnded Ended(string task, CaseTaskStatus status, string? output = null, int resources = 0) =>
        new() { TaskId = task, Status = status, Output = output is null ? null : Json(output), Resources = resources };

    [Fact]
    public void Start_Report_StartsOnlyGenerateAndKeepsTheFallbackPending()
    {
        var d = Run(CaseState.Empty("c"), new StartCase { Definition = Processes.Report, StartedBy = "alice" });

        Assert.Equal(CommandStatus.Created, Assert.IsType<StartCaseResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        var start = Assert.Single(d.Of<SendEffect>());
        Assert.Equal(GrainKeys.Task("c", "generate"), start.Target);
        Assert.Equal(CaseTaskStatus.Ready, d.State.Nodes["generate"].Status);
        Assert.Equal(CaseTaskStatus.Pending, d.State.Nodes["summary"].Status);
        Assert.Contains(d.Of<HistoryEffect>(), h => h.Event.Type == "case_started" && h.Event.Actor == "alice");
    }

    [Fact]
    public void Start_OverridesInvalid_RefusedAndNoState()
    {
        var d = Run(CaseState.Empty("c"), new StartCase { Definition = Processes.Report, StartedBy = "alice", Cancel = new CancelOverrides { AckTimeoutSeconds = 0 } });

        var reply = Assert.IsType<StartCaseResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply);
        Assert.Equal(CommandStatus.InvalidRequest, reply.Status);
        Assert.Contains(reply.Errors, e => e.Message.Contains("ackTimeoutSeconds", StringComparison.Ordinal));
        Assert.False(d.State.Exists);
    }

    [Fact]
    public void TaskCompleted_JoinAllWaitsForEveryPredecessorThenPassesAKeyedObject()
    {
        var state = Started(Processes.Investment);
        state = Run(state, Ended("market", CaseTaskStatus.Completed, """{"m":1}""")).State;
        state = Run(state, Ended("founders", CaseTaskStatus.Completed, """{"f":1}""")).State;
        Assert.Equal(CaseTaskStatus.Pending, state.Nodes["analyses"].Status);

        var d = Run(state, Ended("financials", CaseTaskStatus.Completed, """{"x":1}"""));

        Assert.Equal(CaseTaskStatus.Completed, d.State.Nodes["analyses"].Status);
        var start = Assert.IsType<StartTask>(Assert.Single(d.Of<SendEffect>()).Message);
        Assert.Equal("close", start.Node.Id);
        Assert.Equal(1, start.Input!.Value.GetProperty("founders").GetProperty("f").GetInt32());
        Assert.Equal(1, start.Input.Value.GetProperty("financials").GetProperty("x").GetInt32());
    }

    [Fact]
    public void TaskCompleted_JoinFirstTakesTheFirstOutputAndDiscardsTheLaterOne()
    {
        var race = new ProcessDefinition
        {
            Name = "race",
            Nodes = [new NodeDefinition { Id = "a", Agent = "x" }, new NodeDefinition { Id = "b", Agent = "y" }, new NodeDefinition { Id = "j", Join = "first" }, new NodeDefinition { Id = "end", Agent = "z" }],
            Edges = [["a", "j"], ["b", "j"], ["j", "end"]],
        };
        var state = Started(race);

        var first = Run(state, Ended("b", CaseTaskStatus.Completed, """{"from":"b"}"""), 1);
        var second = Run(first.State, Ended("a", CaseTaskStatus.Completed, """{"from":"a"}"""), 2);

        var start = Assert.IsType<StartTask>(Assert.Single(first.Of<SendEffect>()).Message);
        Assert.Equal("b", start.Input!.Value.GetProperty("from").GetString());
        Assert.Empty(second.Of<SendEffect>());
        var discarded = Assert.Single(second.Of<HistoryEffect>(), h => h.Event.Type == "output_discarded").Event;
        Assert.Equal("a", discarded.TaskId);
    }

    [Fact]
    public void TaskFailed_FailsTheCaseAndStopsTheOtherTasks()
    {
        var state = Started(Processes.Investment);

        var d = Run(state, new TaskEnded { TaskId = "market", Status = CaseTaskStatus.Failed, Error = "crashed" }, 5);

        Assert.Equal(CaseStatus.Failed, d.State.Status);
        Assert.Contains("crashed", d.State.EndReason, StringComparison.Ordinal);
        Assert.Equal(2, d.Of<SendEffect>().Count(s => s.Message is CancelTask));
        Assert.Equal(CaseTaskStatus.Skipped, d.State.Nodes["close"].Status);
        Assert.DoesNotContain(d.Of<SendEffect>(), s => s.Message is CloseRegistry);

        // Not settled either (with no resource it would settle without the registry): two tasks are still stopping.
        Assert.False(d.State.RegistryClosed);
        Assert.Null(d.State.ResourcesSettledAt);
    }

    [Fact]
    public void CancelledTaskDuringCaseCancel_FallbackNotStarted()
    {
        var state = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice" }).State;

        var d = Run(state, Ended("generate", CaseTaskStatus.Cancelled));

        Assert.DoesNotContain(d.Of<SendEffect>(), s => s.Message is StartTask);
    }

    [Theory]
    [InlineData("mallory", false, CommandStatus.Forbidden)]
    [InlineData("alice", false, CommandStatus.Accepted)]
    [InlineData("bob", false, CommandStatus.Accepted)]
    [InlineData("root", true, CommandStatus.Accepted)]
    public void CancelCase_Permissions_StarterAdminsOrGlobalAdminRole(string principal, bool adminRole, CommandStatus expected)
    {
        var state = Started(Processes.Report);

        var d = Run(state, new CancelCase { RequestedBy = principal, HasAdminRole = adminRole });

        Assert.Equal(expected, Assert.IsType<CancelCaseResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        if (expected == CommandStatus.Forbidden)
        {
            Assert.Equal(CaseStatus.Running, d.State.Status);
            Assert.Equal(1, d.State.Measures.RefusedCancels);
            Assert.Equal(new CancelRefusal { At = T0, Principal = "mallory", Action = "cancel_case" }, d.State.Measures.LastRefusedCancel);
            Assert.Equal(Measure.CancelRefused, Assert.Single(d.Of<MeasureEffect>()).Measure);
            Assert.Empty(d.Of<SendEffect>());
            Assert.Equal("cancel_refused", Assert.Single(d.Of<HistoryEffect>()).Event.Type);
        }
    }

    [Fact]
    public void CancelCase_AlreadyCompleted_AlreadyClosedNotedAndUnchanged()
    {
        var completed = Run(Started(Processes.Report), Ended("generate", CaseTaskStatus.Completed, "{}")).State;
        Assert.Equal(CaseStatus.Completed, completed.Status);

        var d = Run(completed, new CancelCase { RequestedBy = "alice", Mode = CancelMode.Force });

        var reply = Assert.IsType<CancelCaseResult>(Assert.Single(d.Of<ReplyEffect>()).Reply);
        Assert.True(reply.AlreadyClosed);
        Assert.Equal(CaseStatus.Completed, reply.CaseStatus);
        Assert.Same(completed, d.State);
        Assert.Equal("cancel_ignored_already_closed", Assert.Single(d.Of<HistoryEffect>()).Event.Type);
    }

    [Fact]
    public void CancelCase_WithHold_CancelPendingWithHoldReminderAndNoTaskTold()
    {
        var d = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice", HoldSeconds = 90 });

        Assert.Equal(CaseStatus.CancelPending, d.State.Status);
        var hold = Assert.Single(d.Of<SetReminderEffect>());
        Assert.Equal(CaseMachine.HoldReminder, hold.Name);
        Assert.Equal(T0.AddSeconds(90), hold.DueAt);
        Assert.Empty(d.Of<SendEffect>());
    }

    [Fact]
    public void HoldExpired_ForAnOverriddenRequest_Ignored()
    {
        var held = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice", HoldSeconds = 90 }).State;
        var overridden = Run(held, new OverrideCancel { RequestedBy = "bob" }, 10).State;

        var d = Run(overridden, new CancelHoldExpired(T0), 90);

        Assert.Equal(CaseStatus.Running, d.State.Status);
        Assert.Empty(d.Effects);
    }

    [Fact]
    public void CancelCase_ForceDuringHold_SkipsTheHold()
    {
        var held = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice", HoldSeconds = 90 }).State;

        var d = Run(held, new CancelCase { RequestedBy = "alice", Mode = CancelMode.Force }, 1);

        Assert.Equal(CaseStatus.ForceCancelling, d.State.Status);
        Assert.Contains(d.Of<ClearReminderEffect>(), c => c.Name == CaseMachine.HoldReminder);
        Assert.Contains(d.Of<SendEffect>(), s => s.Message is CancelTask { Mode: CancelMode.Force });
    }

    [Fact]
    public void CancelCase_ForceWithHold_HeldLikeAStandardCancelThenRunsAsForce()
    {
        var d = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice", Mode = CancelMode.Force, HoldSeconds = 30 });

        Assert.Equal(CaseStatus.CancelPending, d.State.Status);
        Assert.Equal(CancelMode.Force, d.State.CancelRequest!.Mode);
        Assert.Equal(T0.AddSeconds(30), Assert.Single(d.Of<SetReminderEffect>()).DueAt);
        Assert.Empty(d.Of<SendEffect>());

        var expired = Run(d.State, new CancelHoldExpired(T0), 30);

        Assert.Equal(CaseStatus.ForceCancelling, expired.State.Status);
        Assert.Contains(expired.Of<SendEffect>(), s => s.Message is CancelTask { Mode: CancelMode.Force });
    }

    [Fact]
    public void CancelCase_ForceWithHoldDuringStandardHold_StaysHeldAndRunsAsForce()
    {
        var held = Run(Started(Processes.Report), new CancelCase { RequestedBy = "alice", HoldSeconds = 90 }).State;

        var d = Run(held, new CancelCase { RequestedBy = "alice", Mode = CancelMode.Force, HoldSeconds = 30 }, 1);

        Assert.Equal(CaseStatus.CancelPending, d.State.Status);
        Assert.Equal(CancelMode.Force, d.State.CancelRequest!.Mode);
        Assert.Equal(held.CancelRequest!.HoldUntil, d.State.CancelRequest.HoldUntil);
        Assert.Empty(d.Of<SendEffect>());
        var confirmed = Run(d.State, new ConfirmCancel { RequestedBy = "alice" }, 2);
        Assert.Equal(CaseStatus.ForceCancelling, confirmed.State.Status);
    }

    [Fact]
    public void CancelCase_NegativeHold_InvalidRequestAndUnchanged()
    {
        var state = Started(Processes.Report);

        var d = Run(state, new CancelCase { RequestedBy = "alice", HoldSeconds = -1 });

        Assert.Equal(CommandStatus.InvalidRequest, Assert.IsType<CancelCaseResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply).Status);
        Assert.Same(state, d.State);
    }

    [Fact]
    public void CancelActivity_TaskWithoutFallbackInALinearProcess_EndsCaseCancelledWhenNoRouteIsLeft()
    {
        var state = Started(Processes.Pipeline());
        state = Run(state, new CancelActivity { TaskIds = ["work"], RequestedBy = "alice" }).State;

        var d = Run(state, Ended("work", CaseTaskStatus.Cancelled, resources: 1), 2);

        Assert.Equal(CaseStatus.Cancelling, d.State.Status);
        Assert.Equal(CaseTaskStatus.Skipped, d.State.Nodes["finish"].Status);
        Assert.Contains(d.Of<SendEffect>(), s => s.Message is CloseRegistry);
        var settled = Run(d.State, new ResourcesSettled(), 3);
        Assert.Equal(CaseStatus.Cancelled, settled.State.Status);
        Assert.Null(settled.State.Measures.TimeToFullTerminationSeconds);
    }

    [Fact]
    public void CancelActivity_TheOnlyTerminalNodeBeforeItStarts_StopsTheWorkThatCanNoLongerBeDelivered()
    {
        var state = Started(Processes.Investment);

        var d = Run(state, new CancelActivity { TaskIds = ["close"], RequestedBy = "alice", Reason = "no IC brief wanted" });

        Assert.Equal(CaseStatus.Cancelling, d.State.Status);
        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Nodes["close"].Status);
        Assert.Equal(CaseTaskStatus.Cancelled, d.State.Nodes["analyses"].Status);
        Assert.Equal(["market", "founders", "financials"], d.Of<SendEffect>().Where(s => s.Message is CancelTask).Select(s => Ripcord.Grains.Storage.GrainKeys.SplitTask(s.Target).TaskId));
        Assert.DoesNotContain(d.Of<SendEffect>(), s => s.Message is CloseRegistry);
        Assert.False(d.State.RegistryClosed);
    }

    [Fact]
    public void CancelActivity_EmptyList_InvalidRequest()
    {
        var state = Started(Processes.Report);

        var d = Run(state, new CancelActivity { TaskIds = [], RequestedBy = "alice" });

        Assert.Equal(CommandStatus.InvalidRequest, Assert.IsType<CancelActivityResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply).Status);
    }

    [Theory]
    [InlineData("alice", 0, CommandStatus.InvalidRequest)]
    [InlineData("alice", 6, CommandStatus.InvalidRequest)]
    [InlineData("mallory", 3, CommandStatus.Forbidden)]
    [InlineData("bob", 3, CommandStatus.Ok)]
    public void RateOutput_CompletedCase_ChecksRightsAndRange(string principal, int rating, CommandStatus expected)
    {
        var completed = Run(Started(Processes.Report), Ended("generate", CaseTaskStatus.Completed, "{}")).State;

        var d = Run(completed, new RateOutput { RatedBy = principal, Rating = rating });

        var reply = Assert.IsType<RateOutputResult>(Assert.Single(d.Of<ReplyEffect>()).Reply);
        Assert.Equal(expected, reply.Status);
        Assert.False(reply.ViaFallback);
        Assert.Equal(expected == CommandStatus.Ok ? rating : null, d.State.Measures.OutputRating);
    }

    [Fact]
    public void RateOutput_RunningCase_Conflict()
    {
        var d = Run(Started(Processes.Report), new RateOutput { RatedBy = "alice", Rating = 3 });

        Assert.Equal(CommandStatus.Conflict, Assert.IsType<RateOutputResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
    }

    [Fact]
    public void Start_NullDefinition_InvalidRequestNotAnException()
    {
        var d = Run(CaseState.Empty("c"), new StartCase { Definition = null!, StartedBy = "alice" });

        Assert.Equal(CommandStatus.InvalidRequest, Assert.IsType<StartCaseResult>(Assert.Single(d.Effects).Is<ReplyEffect>().Reply).Status);
        Assert.False(d.State.Exists);
    }

    [Fact]
    public void CancelCase_WithoutPrincipal_RefusedAndRecordedAsAnonymous()
    {
        var d = Run(Started(Processes.Report), new CancelCase { RequestedBy = null! });

        Assert.Equal(CommandStatus.Forbidden, Assert.IsType<CancelCaseResult>(Assert.Single(d.Of<ReplyEffect>()).Reply).Status);
        Assert.Equal("anonymous", Assert.Single(d.Of<HistoryEffect>()).Event.Actor);
    }

    [Fact]
    public void TaskEnded_Duplicate_Ignored()
    {
        var state = Run(Started(Processes.Investment), Ended("market", CaseTaskStatus.Completed, "{}")).State;

        var d = Run(state, Ended("market", CaseTaskStatus.Completed, "{}"));

        Assert.Same(state, d.State);
        Assert.Empty(d.Effects);
    }
}
