using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Processes;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;
using static Ripcord.Grains.Tests.Machines.MachineFixtures;

namespace Ripcord.Grains.Tests.Machines;

/// <summary>States and messages must survive System.Text.Json: a durable store serializes them.</summary>
public sealed class JsonRoundTripTests
{
    /// <summary>The API's options, and the general defaults the PostgreSQL store writes with.</summary>
    private static readonly JsonSerializerOptions[] Options =
    [
        RipcordJson.Options,
        new(JsonSerializerDefaults.General) { AllowOutOfOrderMetadataProperties = true },
    ];

    private static T RoundTrip<T>(T value)
    {
        T back = default!;
        foreach (var options in Options)
        {
            var json = JsonSerializer.Serialize(value, options);
            back = JsonSerializer.Deserialize<T>(json, options)!;
            Assert.Equal(json, JsonSerializer.Serialize(back, options));
        }

        return back;
    }

    [Fact]
    public void CaseState_MidCancel_RoundTrips()
    {
        var state = CaseMachine.Handle(CaseState.Empty("c"), new StartCase { Definition = Processes.Report, StartedBy = "alice", Admins = ["bob"], Input = Json("""{"q":[1,2]}""") }, T0).State;
        state = CaseMachine.Handle(state, new CancelCase { RequestedBy = "alice", Reason = "why", HoldSeconds = 30 }, T0.AddSeconds(1)).State;
        state = CaseMachine.Handle(state, new ConfirmCancel { RequestedBy = "bob" }, T0.AddSeconds(2)).State;
        state = CaseMachine.Handle(state, new TaskEnded { TaskId = "generate", Status = CaseTaskStatus.Cancelled, Checkpoint = Json("""{"c":1}"""), Cancel = new TaskCancelMeasure { TaskId = "generate", SignalLatencySeconds = 0.5, TokensSaved = 10 }, Resources = 1 }, T0.AddSeconds(3)).State;

        var back = RoundTrip(state);

        Assert.Equal(CaseStatus.Cancelling, back.Status);
        Assert.Equal(state.Nodes.Count, back.Nodes.Count);
        Assert.Equal(1, back.Nodes["generate"].Checkpoint!.Value.GetProperty("c").GetInt32());
        Assert.Equal(["bob"], back.Admins.ToArray());
        Assert.Equal(T0.AddSeconds(31), back.CancelRequest!.HoldUntil);
        Assert.Equal(10, back.Measures.TokensSaved);
        Assert.True(back.Exists);
        Assert.Equal("summary", back.Definition!.FindNode("generate")!.OnCancel);
    }

    [Fact]
    public void TaskState_FencedWithUsage_RoundTrips()
    {
        var state = Running(killHook: "http://kill.test");
        state = TaskMachine.Handle(state, new Heartbeat { LeaseToken = "token-1", Usage = new Usage { Tokens = 5, GpuSeconds = 0.5 }, Progress = Json("0.3") }, T0, Tokens()).State;
        state = TaskMachine.Handle(state, Cancel(CancelMode.Force), T0.AddSeconds(1), Tokens()).State;

        var back = RoundTrip(state);

        Assert.True(back.Cancel!.Fenced);
        Assert.Equal(["token-1"], back.RevokedTokens.ToArray());
        Assert.Equal(0.5, back.Usage!.GpuSeconds);
        Assert.Equal("worker", back.Node!.Agent);
        Assert.False(back.HasLiveLease);
    }

    [Fact]
    public void RegistryState_WithResources_RoundTrips()
    {
        var state = RegistryMachine.Handle(RegistryState.Empty("c"), new AddResource { TaskId = "t", ResourceId = "vm-1", Kind = "vm", Release = new ResourceReleaseAction { Url = "http://x.test/vm-1" } }, T0).State;
        state = RegistryMachine.Handle(state, new CloseRegistry { Reason = "done" }, T0).State;

        var back = RoundTrip(state);

        Assert.Equal(ResourceStatus.Releasing, back.Resources["vm-1"].Status);
        Assert.Equal("http://x.test/vm-1", back.Resources["vm-1"].Release!.Url);
        Assert.True(back.Closed);
    }

    [Fact]
    public void EmptyStates_RoundTrip()
    {
        Assert.False(RoundTrip(CaseState.Empty("c")).Exists);
        Assert.False(RoundTrip(TaskState.Empty("c", "t")).Exists);
        Assert.Empty(RoundTrip(RegistryState.Empty("c")).Resources);
    }

    public static TheoryData<object> Messages() =>
    [
        new StartCase { Definition = Processes.Investment with { Retention = new RetentionSettings { CancelledSeconds = 60, AuditPreserving = true } }, StartedBy = "alice", Input = Json("{}"), Cancel = new CancelOverrides { HoldSeconds = 5 } },
        new CancelCase { RequestedBy = "alice", Mode = CancelMode.Force, Reason = "r", GracePeriodSeconds = 1 },
        new ConfirmCancel { RequestedBy = "alice" },
        new OverrideCancel { RequestedBy = "alice", Reason = "r" },
        new CancelActivity { TaskIds = ["a", "b"], RequestedBy = "alice" },
        new TaskEnded { TaskId = "t", Status = CaseTaskStatus.Cancelled, Cancel = new TaskCancelMeasure { TaskId = "t" } },
        new ResourcesSettled { Released = 1, Orphaned = 2, Total = 3 },
        new CancelHoldExpired(T0),
        new FallbackDue { TaskId = "t", Checkpoint = Json("{}"), WaitedSeconds = 2 },
        new CheckpointWaitEnded(T0),
        new StartTask { Node = new NodeDefinition { Id = "t", Agent = "x" }, Input = Json("[1]"), Checkpoint = Json("{}") },
        new CancelTask { RequestedBy = "alice", RequestedAt = T0, Mode = CancelMode.Standard, GracePeriodSeconds = 10, RoutesToFallback = true },
        new ClaimTask { AgentId = "a", KillHookUrl = "http://k.test" },
        new Heartbeat { LeaseToken = "x", Usage = new Usage { Tokens = 1 }, Checkpoint = Json("""{"page":1}""") },
        new CompleteTask { LeaseToken = "x", Output = Json("{}") },
        new AckCancel { LeaseToken = "x", Checkpoint = Json("{}"), Snapshot = Json("{}") },
        new FailTask { LeaseToken = "x", Error = "e" },
        new RegisterResource { LeaseToken = "x", ResourceId = "r", Release = new ResourceReleaseAction { Url = "http://r.test" } },
        new FreeResource { LeaseToken = "x", ResourceId = "r" },
        new LeaseExpired("x"),
        new TaskTimedOut(600),
        new EscalationDue(2),
        new KillHookCalled(true, 200, null),
        new AddResource { TaskId = "t", ResourceId = "r", ReleaseNow = true },
        new ResourceFreed { TaskId = "t", ResourceId = "r" },
        new ReleaseTaskResources { TaskId = "t" },
        new CloseRegistry { Reason = "r" },
        new ReleaseAttemptCompleted { ResourceId = "r", Attempt = 2, StatusCode = 500 },
        new ReleaseRetryDue("r", 3),
        new ReleaseAttemptTimedOut("r", 3),
        new ClaimResult { Status = CommandStatus.Ok, LeaseToken = "x" },
        new HeartbeatResult(CommandStatus.Ok, new CancelSignal(CancelMode.Standard, "r", T0)),
        new TaskCommandResult(CommandStatus.TaskCancelled, "late"),
        new CancelCaseResult(CommandStatus.Ok, true, CaseStatus.Completed),
        new CancelActivityResult(CommandStatus.Accepted, false, [new TaskCancelOutcome("t", false, CaseTaskStatus.Cancelling)]),
        new StartCaseResult(CommandStatus.InvalidRequest, null, [new DefinitionError("cycle", "a -> a", "a")]),
        new TaskReadyNotice("c", "t", "worker", 2),
        new RateOutput { RatedBy = "alice", Rating = 4, Comment = "fine" },
        new RateOutputResult(CommandStatus.Ok, true),
        new CancelSignalNotice("c", "t", "a-1", CancelMode.Force, "r", T0, 1),
        new ResourceReleaseRequest("c", "vm-1", "vm", "t", "http://x.test", "DELETE", 3),
        new AgentKillRequest("c", "t", "a-1", "http://k.test", "r"),
        new ReadyAnnounceDue(),
        new CancelSignalPushed("a-1"),
        new RegisterProcess { Definition = Processes.Investment },
        ProcessRegistration.Replaced,
        new PurgeCase { RequestedBy = "root", Reason = "erasure request" },
        new PurgeCaseResult(CommandStatus.Accepted, T0, "root"),
        new RetentionDue(T0),
        new RedactTask(T0),
        new RedactResources(T0),
        new HistoryRedactionRequest("c", KeepSnapshots: true),
    ];

    [Fact]
    public void Messages_SampleEveryMessageReplyAndPayloadTheGrainsExchange()
    {
        string[] areas = ["Ripcord.Contracts.Cases", "Ripcord.Contracts.Tasks", "Ripcord.Contracts.Resources", "Ripcord.Contracts.Agents", "Ripcord.Contracts.Processes", "Ripcord.Grains.Outbox"];
        var records = typeof(Mail).Assembly.GetExportedTypes().Concat(typeof(MessageTypes).Assembly.GetExportedTypes())
            .Where(t => areas.Contains(t.Namespace) && t.IsClass && t.GetMethod("<Clone>$") is not null && !t.IsGenericType)
            .Where(t => t is not { Name: nameof(TaskSettings) or nameof(CancelSignal) or nameof(TaskCancelOutcome) or nameof(ProcessRecord) })
            .ToList();

        var sampled = Messages().Cast<object[]>().Select(row => row[0].GetType()).ToHashSet();
        Assert.NotEmpty(records);
        Assert.Empty(records.Where(t => !sampled.Contains(t)).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_KeptInGrainState_ReadsBackAsItself(object message)
    {
        if (message.GetType().IsEnum)
        {
            return;
        }

        var stored = StoredMessage.From(message);
        var json = JsonSerializer.Serialize(stored, RipcordJson.Options);
        var back = JsonSerializer.Deserialize<StoredMessage>(json, RipcordJson.Options)!.ToMessage();

        Assert.Equal(message.GetType(), back.GetType());
        Assert.Equal(JsonSerializer.Serialize(message, message.GetType(), RipcordJson.Options), JsonSerializer.Serialize(back, back.GetType(), RipcordJson.Options));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_RoundTrips(object message)
    {
        var type = message.GetType();
        foreach (var options in Options)
        {
            var json = JsonSerializer.Serialize(message, type, options);
            var back = JsonSerializer.Deserialize(json, type, options)!;

            Assert.Equal(json, JsonSerializer.Serialize(back, type, options));
        }
    }
}
