using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;
using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Processes;
using Ripcord.Contracts.Serialization;
using Ripcord.Contracts.Tasks;

namespace Ripcord.Contracts.Tests;

/// <summary>The contracts cross silos through Orleans' serializer: every kind of message comes back as it went.</summary>
public sealed class OrleansWireTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly Serializer _serializer;
    private readonly DeepCopier _copier;

    public OrleansWireTests()
    {
        _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        _serializer = _services.GetRequiredService<Serializer>();
        _copier = _services.GetRequiredService<DeepCopier>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void StartCase_WithDefinitionAndInput_RoundTrips()
    {
        var definition = ProcessDefinitionParser.Parse("""
            {
              "name": "report",
              "nodes": [
                { "id": "draft", "agent": "writer", "timeoutSeconds": 30, "onCancel": "summary", "maxAttempts": 2 },
                { "id": "summary", "agent": "summarizer" },
                { "id": "join", "join": "first" }
              ],
              "edges": [["draft", "join"], ["summary", "join"]],
              "cancel": { "ackTimeoutSeconds": 2, "gracePeriodSeconds": 4, "holdSeconds": 1 },
              "heartbeatSeconds": 3,
              "leaseSeconds": 12,
              "release": { "maxAttempts": 7, "backoffSeconds": 0.5, "maxBackoffSeconds": 8, "attemptTimeoutSeconds": 9 }
            }
            """).GetOrThrow();
        var start = new StartCase
        {
            Definition = definition,
            Input = Json("""{"topic":"orleans","pages":[1,2,3],"draft":null}"""),
            StartedBy = "alice",
            Admins = ["bob", "carol"],
            Cancel = new CancelOverrides
            {
                GracePeriodSeconds = 20,
                Escalation = [new EscalationStep { AfterAckTimeouts = 1, Action = EscalationAction.Fence }],
            },
        };

        var copy = RoundTrip(start);

        Assert.Equal("alice", copy.StartedBy);
        Assert.Equal(new[] { "bob", "carol" }, copy.Admins);
        AssertJson(start.Input, copy.Input);
        Assert.Equal(20, copy.Cancel!.GracePeriodSeconds);
        Assert.Null(copy.Cancel.AckTimeoutSeconds);
        Assert.Equal(EscalationAction.Fence, Assert.Single(copy.Cancel.Escalation!.Value).Action);

        var d = copy.Definition;
        Assert.Equal("report", d.Name);
        Assert.Equal(["draft", "summary", "join"], d.Nodes.Select(n => n.Id));
        Assert.Equal("writer", d.Nodes[0].Agent);
        Assert.Equal(30, d.Nodes[0].TimeoutSeconds);
        Assert.Equal("summary", d.Nodes[0].OnCancel);
        Assert.Equal(2, d.Nodes[0].MaxAttempts);
        Assert.Equal(JoinMode.First, d.Nodes[2].JoinMode);
        Assert.Equal(2, d.Edges.Length);
        Assert.Equal(new[] { "summary", "join" }, d.Edges[1]);
        Assert.Equal(2, d.Cancel.AckTimeoutSeconds);
        Assert.Equal(4, d.Cancel.GracePeriodSeconds);
        Assert.Equal(1, d.Cancel.HoldSeconds);
        Assert.Equal(CancelSettings.DefaultEscalation.Select(s => (s.AfterAckTimeouts, s.Action)), d.Cancel.Escalation.Select(s => (s.AfterAckTimeouts, s.Action)));
        Assert.Equal(3, d.HeartbeatSeconds);
        Assert.Equal(12, d.LeaseSeconds);
        Assert.Equal(definition.Release, d.Release);
        Assert.True(ProcessDefinitionParser.Validate(d).IsValid);
        AssertSameJson(start, copy);
    }

    [Fact]
    public void TaskEnded_WithOutputAndCheckpoint_RoundTrips()
    {
        var ended = new TaskEnded
        {
            TaskId = "draft",
            Status = CaseTaskStatus.Cancelled,
            Attempt = 2,
            AgentId = "agent-7",
            Output = Json("""{ "text": "half a report", "score": 0.25 }"""),
            Checkpoint = Json("""["page-1", "page-2"]"""),
            Reason = "operator asked",
            Cancel = new TaskCancelMeasure { TaskId = "draft", SignalLatencySeconds = 0.01, AckLatencySeconds = 0.2, TokensSaved = 900, GpuSecondsSaved = 1.5 },
        };

        var copy = RoundTrip(ended);

        Assert.Equal("draft", copy.TaskId);
        Assert.Equal(CaseTaskStatus.Cancelled, copy.Status);
        Assert.Equal(2, copy.Attempt);
        Assert.Equal("agent-7", copy.AgentId);
        AssertJson(ended.Output, copy.Output);
        AssertJson(ended.Checkpoint, copy.Checkpoint);
        Assert.Null(copy.Error);
        Assert.Equal("operator asked", copy.Reason);
        Assert.Equal(ended.Cancel, copy.Cancel);
        AssertSameJson(ended, copy);
    }

    [Fact]
    public void HeartbeatResult_WithCancelSignal_RoundTrips()
    {
        var result = new HeartbeatResult(CommandStatus.Ok, new CancelSignal(CancelMode.Force, "budget", At));

        var copy = RoundTrip(result);

        Assert.Equal(result, copy);
        Assert.Equal(At, copy.Cancel!.Deadline);

        Assert.Equal(new HeartbeatResult(CommandStatus.LeaseLost, null, "lease lost"), RoundTrip(new HeartbeatResult(CommandStatus.LeaseLost, null, "lease lost")));
    }

    [Fact]
    public void CaseView_WithTasksResourcesAndHistory_RoundTrips()
    {
        var view = new CaseView
        {
            CaseId = "c-1",
            Process = "report",
            Status = CaseStatus.Cancelling,
            CreatedAt = At,
            Output = Json("""{"done":false}"""),
            Cancel = new CaseCancelView { Mode = CancelMode.Standard, RequestedBy = "alice", RequestedAt = At, Reason = "why", HoldUntil = At.AddSeconds(5) },
            Tasks =
            [
                new TaskView
                {
                    TaskId = "draft",
                    Node = "draft",
                    Status = CaseTaskStatus.Cancelling,
                    Agent = "writer",
                    AgentId = "agent-7",
                    Attempt = 1,
                    Cancel = new TaskCancelView { Mode = CancelMode.Standard, RequestedBy = "alice", RequestedAt = At, SignalledAt = At, Deadline = At.AddSeconds(10), EscalationLevel = 1 },
                    Progress = Json("""{"percent":40}"""),
                    LastHeartbeatAt = At,
                    Usage = new Usage { Tokens = 1200, GpuSeconds = 3.5 },
                    Estimate = new Usage { Tokens = 3000, GpuSeconds = 9 },
                },
                new TaskView { TaskId = "join", Node = "join", Status = CaseTaskStatus.Pending },
            ],
            Resources = [new ResourceView { ResourceId = "vm-1", Kind = "vm", TaskId = "draft", Status = ResourceStatus.Releasing, Attempts = 2, LastError = "503" }],
            History =
            [
                new HistoryEvent { Sequence = 1, At = At, CaseId = "c-1", Type = "case_started", Actor = "alice" },
                new HistoryEvent { Sequence = 2, At = At, CaseId = "c-1", Type = "cancel_requested", Actor = "alice", Reason = "why", TaskId = "draft", Detail = Json("""{"mode":"standard"}""") },
            ],
            Measures = new CaseMeasures { Tasks = [new TaskCancelMeasure { TaskId = "draft", SignalLatencySeconds = 0.02 }], CaseCancels = 1, TokensSaved = 1800 },
        };

        var copy = RoundTrip(view);

        Assert.Equal("c-1", copy.CaseId);
        Assert.Equal("report", copy.Process);
        Assert.Equal(CaseStatus.Cancelling, copy.Status);
        Assert.Equal(At, copy.CreatedAt);
        Assert.Null(copy.EndedAt);
        AssertJson(view.Output, copy.Output);
        Assert.Equal(view.Cancel, copy.Cancel);

        Assert.Equal(2, copy.Tasks.Length);
        var task = copy.Tasks[0];
        Assert.Equal(view.Tasks[0].Cancel, task.Cancel);
        Assert.Equal(view.Tasks[0].Usage, task.Usage);
        Assert.Equal(view.Tasks[0].Estimate, task.Estimate);
        AssertJson(view.Tasks[0].Progress, task.Progress);
        Assert.Equal("agent-7", task.AgentId);
        Assert.Null(copy.Tasks[1].Progress);
        Assert.Null(copy.Tasks[1].Cancel);

        Assert.Equal(view.Resources[0], Assert.Single(copy.Resources));

        Assert.Equal(["case_started", "cancel_requested"], copy.History.Select(e => e.Type));
        Assert.Null(copy.History[0].Detail);
        AssertJson(view.History[1].Detail, copy.History[1].Detail);
        Assert.Equal("draft", copy.History[1].TaskId);

        Assert.Equal(1, copy.Measures.CaseCancels);
        Assert.Equal(1800, copy.Measures.TokensSaved);
        Assert.Equal(view.Measures.Tasks[0], Assert.Single(copy.Measures.Tasks));
        AssertSameJson(view, copy);
    }

    [Fact]
    public void AgentNotices_RoundTrip()
    {
        var signal = new CancelSignalNotice("c-1", "draft", "agent-7", CancelMode.Standard, "operator asked", At, 2);
        Assert.Equal(signal, RoundTrip(signal));
        Assert.Equal(signal with { AgentId = null, Reason = null }, RoundTrip(signal with { AgentId = null, Reason = null }));

        var ready = new TaskReadyNotice("c-1", "draft", "writer", 3);
        Assert.Equal(ready, RoundTrip(ready));
    }

    [Fact]
    public void Enums_RoundTrip()
    {
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            Assert.Equal(status, RoundTrip(status));
        }

        Assert.Equal(CommandStatus.TaskCancelled, RoundTrip(CommandStatus.TaskCancelled));
        Assert.Equal(ResourceStatus.Orphaned, RoundTrip(ResourceStatus.Orphaned));
        Assert.Equal(ProcessRegistration.Replaced, RoundTrip(ProcessRegistration.Replaced));
        Assert.Equal(new CancelCaseResult(CommandStatus.Accepted, false, CaseStatus.CancelPending), RoundTrip(new CancelCaseResult(CommandStatus.Accepted, false, CaseStatus.CancelPending)));
    }

    [Fact]
    public void JsonElement_DefaultAndNull_RoundTrip()
    {
        Assert.Equal(JsonValueKind.Undefined, RoundTrip(default(JsonElement)).ValueKind);
        Assert.Null(RoundTrip<JsonElement?>(null));
        Assert.Equal(JsonValueKind.Undefined, RoundTrip<JsonElement?>(default(JsonElement))!.Value.ValueKind);
        Assert.Equal(JsonValueKind.Null, RoundTrip(Json("null")).ValueKind);
        Assert.Equal("\"text\"", RoundTrip(Json("\"text\"")).GetRawText());

        var ended = new TaskEnded { TaskId = "t", Output = default(JsonElement), Checkpoint = null };
        var copy = RoundTrip(ended);
        Assert.Equal(JsonValueKind.Undefined, copy.Output!.Value.ValueKind);
        Assert.Null(copy.Checkpoint);
    }

    [Fact]
    public void JsonElement_Surrogate_KeepsTheRawText()
    {
        var converter = new JsonElementSurrogateConverter();
        Assert.Null(converter.ConvertToSurrogate(default).Json);
        Assert.Equal(JsonValueKind.Undefined, converter.ConvertFromSurrogate(default).ValueKind);
        Assert.Equal("""{ "a" : [1, 2] }""", converter.ConvertToSurrogate(Json("""{ "a" : [1, 2] }""")).Json);
    }

    [Fact]
    public void ImmutableCollections_RoundTrip_ThroughTheBuiltInCodecs()
    {
        ImmutableArray<string> array = ["a", "b"];
        Assert.Equal(new[] { "a", "b" }, RoundTrip(array));
        Assert.True(RoundTrip(ImmutableArray<string>.Empty).IsEmpty);

        var dictionary = ImmutableDictionary<string, int>.Empty.Add("a", 1).Add("b", 2);
        var dictionaryCopy = RoundTrip(dictionary);
        Assert.Equal(2, dictionaryCopy.Count);
        Assert.Equal(1, dictionaryCopy["a"]);
        Assert.Equal(2, dictionaryCopy["b"]);

        var nested = ImmutableArray.Create(ImmutableArray.Create("x", "y"), ImmutableArray<string>.Empty);
        var nestedCopy = RoundTrip(nested);
        Assert.Equal(new[] { "x", "y" }, nestedCopy[0]);
        Assert.True(nestedCopy[1].IsEmpty);
    }

    [Fact]
    public void Mail_CarriesAnyWireType_AsItsRuntimeType()
    {
        var mail = new Mail("task/c-1/draft", 42, new TaskEnded { TaskId = "draft", Status = CaseTaskStatus.Completed, Output = Json("""{"text":"report"}""") });

        var copy = RoundTrip(mail);

        Assert.Equal("task/c-1/draft", copy.Sender);
        Assert.Equal(42, copy.Sequence);
        var ended = Assert.IsType<TaskEnded>(copy.Message);
        Assert.Equal(CaseTaskStatus.Completed, ended.Status);
        AssertJson(Json("""{"text":"report"}"""), ended.Output);

        Assert.IsType<ReadyAnnounceDue>(RoundTrip(new Mail("self", 1, new ReadyAnnounceDue())).Message);
    }

    [Fact]
    public void ProcessRecord_RoundTrips()
    {
        var record = new ProcessRecord
        {
            Definition = new ProcessDefinition { Name = "p", Nodes = [new NodeDefinition { Id = "a", Agent = "x" }] },
            UpdatedAt = At,
            Revision = 3,
        };

        var copy = RoundTrip(record);

        Assert.Equal(At, copy.UpdatedAt);
        Assert.Equal(3, copy.Revision);
        Assert.Equal("x", Assert.Single(copy.Definition!.Nodes).Agent);
        AssertSameJson(record, copy);
    }

    [Fact]
    public void DeepCopy_OfAMessageWithJson_KeepsItsContent()
    {
        // Orleans copies the arguments of a call between grains of one silo.
        var ended = new TaskEnded { TaskId = "draft", Output = Json("""{"text":"report"}"""), Checkpoint = default(JsonElement) };

        var copy = _copier.Copy(ended);

        AssertJson(ended.Output, copy.Output);
        Assert.Equal(JsonValueKind.Undefined, copy.Checkpoint!.Value.ValueKind);
        Assert.Equal("draft", copy.TaskId);
    }

    [Fact]
    public void EveryGeneratedSerializerType_HasAUniqueLowerCaseAlias()
    {
        var types = WireTypes().ToList();
        Assert.NotEmpty(types);

        var missing = types.Where(t => t.GetCustomAttribute<AliasAttribute>() is null).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, "Without [Alias]: " + string.Join(", ", missing));

        var aliases = types.Select(t => (Type: t, Alias: t.GetCustomAttribute<AliasAttribute>()!.Alias)).ToList();
        var duplicates = aliases.GroupBy(a => a.Alias, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(a => a.Type.Name))}").ToList();
        Assert.True(duplicates.Count == 0, "Aliases used twice: " + string.Join("; ", duplicates));

        var malformed = aliases.Where(a => !a.Alias.StartsWith("ripcord.", StringComparison.Ordinal) || a.Alias.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))).Select(a => $"{a.Type.Name}: {a.Alias}").ToList();
        Assert.True(malformed.Count == 0, "Aliases not of the form ripcord.<area>.<name>: " + string.Join(", ", malformed));
    }

    [Fact]
    public void EveryWritableMemberOfAGeneratedSerializerType_HasAnId()
    {
        var missing = new List<string>();
        foreach (var type in WireTypes().Where(t => !t.IsEnum))
        {
            const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            foreach (var property in type.GetProperties(Instance).Where(p => p.SetMethod is not null && p.Name != "EqualityContract"))
            {
                if (property.GetCustomAttribute<IdAttribute>() is null)
                {
                    missing.Add($"{type.Name}.{property.Name}");
                }
            }

            foreach (var field in type.GetFields(Instance).Where(f => f.IsPublic))
            {
                if (field.GetCustomAttribute<IdAttribute>() is null)
                {
                    missing.Add($"{type.Name}.{field.Name}");
                }
            }

            var ids = type.GetProperties(Instance).Select(p => p.GetCustomAttribute<IdAttribute>()?.Id)
                .Concat(type.GetFields(Instance).Select(f => f.GetCustomAttribute<IdAttribute>()?.Id))
                .OfType<uint>().ToList();
            Assert.True(ids.Count == ids.Distinct().Count(), $"{type.Name} uses an [Id] twice");
        }

        Assert.True(missing.Count == 0, "Serialized members without [Id]: " + string.Join(", ", missing));
    }

    private static IEnumerable<Type> WireTypes() =>
        typeof(Mail).Assembly.GetExportedTypes().Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null);

    private T RoundTrip<T>(T value) => _serializer.Deserialize<T>(_serializer.SerializeToArray(value))!;

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void AssertJson(JsonElement? expected, JsonElement? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e && actual is { } a)
        {
            Assert.Equal(e.ValueKind, a.ValueKind);
            Assert.Equal(e.GetRawText(), a.GetRawText());
        }
    }

    /// <summary>The HTTP API's JSON of both values: every member the API shows came back unchanged.</summary>
    private static void AssertSameJson<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, RipcordJson.Options), JsonSerializer.Serialize(actual, RipcordJson.Options));
}
