using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;
using Ripcord.Grains.Views;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.InMemory;
using Ripcord.Testing;

namespace Ripcord.Grains.Tests;

/// <summary>
/// The real grains on the real runtime with the in-memory store and a fake clock. Waits are on committed turns and
/// handled outbox items (with a wall-clock safety net so a broken test fails instead of hanging), never on sleeps.
/// </summary>
public sealed class DomainHarness : IAsyncDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(15);
    private event Action? Changed;

    private DomainHarness(Func<TimeProvider, IGrainStore>? createStore)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        Store = createStore?.Invoke(Clock) ?? new InMemoryGrainStore(Clock);
        var registry = new GrainTypeRegistry()
            .Add(GrainTypes.Case, new CaseGrain())
            .Add(GrainTypes.Task, new TaskGrain())
            .Add(GrainTypes.Registry, new ResourceRegistryGrain());
        ReadyNotices = new RecordingHandler(OutboxTopics.TaskReady, RaiseChanged);
        SignalNotices = new RecordingHandler(OutboxTopics.TaskCancelSignal, RaiseChanged);
        IOutboxHandler[] handlers =
        [
            ReadyNotices,
            SignalNotices,
            new WebhookReleaseHandler(Http, () => Runtime!),
            new AgentKillHandler(Http, () => Runtime!),
        ];
        Runtime = new GrainRuntime(Store, registry, Options.Create(new RuntimeOptions { MaxDegreeOfParallelism = 2, SiloId = "test" }), Clock, outboxHandlers: handlers);
        Runtime.TurnCommitted += _ => RaiseChanged();
    }

    public FakeTimeProvider Clock { get; }

    public IGrainStore Store { get; }

    public GrainRuntime Runtime { get; }

    public StubHttp Http { get; } = new();

    public RecordingHandler ReadyNotices { get; }

    public RecordingHandler SignalNotices { get; }

    /// <summary>Starts the grains on a fresh store: in memory unless <paramref name="createStore"/> makes another.</summary>
    public static async Task<DomainHarness> StartAsync(Func<TimeProvider, IGrainStore>? createStore = null)
    {
        var harness = new DomainHarness(createStore);
        await harness.Runtime.StartAsync(CancellationToken.None);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await Store.DisposeAsync();
        Http.Dispose();
    }

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public Task<StartCaseResult> StartCaseAsync(string caseId, ProcessDefinition definition, string startedBy = "alice", string? input = null, CancelOverrides? cancel = null, params string[] admins) =>
        AskCaseAsync<StartCaseResult>(caseId, new StartCase
        {
            Definition = definition,
            Input = input is null ? null : Json(input),
            StartedBy = startedBy,
            Admins = [.. admins],
            Cancel = cancel,
        });

    public async Task<T> AskCaseAsync<T>(string caseId, object message) => await AskAsync<T>(GrainTypes.CaseId(caseId), message);

    public async Task<T> AskTaskAsync<T>(string caseId, string taskId, object message) => await AskAsync<T>(GrainTypes.TaskId(caseId, taskId), message);

    public async Task<T> AskAsync<T>(GrainId grain, object message)
    {
        using var timeout = new CancellationTokenSource(SafetyNet);
        var result = await Runtime.AskAsync<T>(grain, message, cancellationToken: timeout.Token);
        return result.GetValueOrThrow();
    }

    public Task<CancelCaseResult> CancelCaseAsync(string caseId, string by = "alice", CancelMode mode = CancelMode.Standard, string? reason = null, double? holdSeconds = null) =>
        AskCaseAsync<CancelCaseResult>(caseId, new CancelCase { RequestedBy = by, Mode = mode, Reason = reason, HoldSeconds = holdSeconds });

    public Task<CancelActivityResult> CancelActivityAsync(string caseId, string by, string? reason, params string[] taskIds) =>
        AskCaseAsync<CancelActivityResult>(caseId, new CancelActivity { TaskIds = [.. taskIds], RequestedBy = by, Reason = reason });

    /// <summary>Waits until the task is ready, then claims it for <paramref name="agentId"/>.</summary>
    public async Task<ClaimResult> ClaimAsync(string caseId, string taskId, string agentId, string? killHook = null)
    {
        await WaitForAsync(() => Task(caseId, taskId)?.Status == CaseTaskStatus.Ready, $"{caseId}/{taskId} to be ready");
        var claim = await AskTaskAsync<ClaimResult>(caseId, taskId, new ClaimTask { AgentId = agentId, KillHookUrl = killHook });
        Assert.Equal(CommandStatus.Ok, claim.Status);
        return claim;
    }

    public Task<HeartbeatResult> HeartbeatAsync(string caseId, string taskId, string token, Usage? usage = null, Usage? estimate = null) =>
        AskTaskAsync<HeartbeatResult>(caseId, taskId, new Heartbeat { LeaseToken = token, Usage = usage, Estimate = estimate });

    public Task<TaskCommandResult> CompleteAsync(string caseId, string taskId, string token, string output) =>
        AskTaskAsync<TaskCommandResult>(caseId, taskId, new CompleteTask { LeaseToken = token, Output = Json(output) });

    public Task<TaskCommandResult> AckAsync(string caseId, string taskId, string token, string? checkpoint = null, string? snapshot = null) =>
        AskTaskAsync<TaskCommandResult>(caseId, taskId, new AckCancel
        {
            LeaseToken = token,
            Checkpoint = checkpoint is null ? null : Json(checkpoint),
            Snapshot = snapshot is null ? null : Json(snapshot),
        });

    /// <summary>
    /// Lets <paramref name="seconds"/> pass in steps of <paramref name="step"/>, every live lease heartbeating after
    /// each step (as polite agents do), so leases stay alive while time moves.
    /// </summary>
    public async Task RunAsync(double seconds, double step, params (string CaseId, string TaskId, string Token)[] leases)
    {
        for (var elapsed = 0.0; elapsed < seconds; elapsed += step)
        {
            Clock.AdvanceSeconds(Math.Min(step, seconds - elapsed));
            foreach (var (caseId, taskId, token) in leases)
            {
                await HeartbeatAsync(caseId, taskId, token);
            }
        }
    }

    public CaseState Case(string caseId) => Read<CaseState>(GrainTypes.CaseId(caseId)) ?? CaseState.Empty(caseId);

    public TaskState? Task(string caseId, string taskId) => Read<TaskState>(GrainTypes.TaskId(caseId, taskId));

    public RegistryState? Registry(string caseId) => Read<RegistryState>(GrainTypes.RegistryId(caseId));

    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string caseId) => await Runtime.ReadHistoryAsync(caseId, 0, 10_000);

    /// <summary>The case's history, read synchronously for use in wait conditions.</summary>
    public IReadOnlyList<HistoryEvent> History(string caseId) => Store.ReadHistoryAsync(caseId, 0, 10_000, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<CaseView> ViewAsync(string caseId) => (await CaseViews.ReadAsync(Runtime, caseId))!;

    public ImmutableArray<CancelSignalNotice> SignalsFor(string caseId, string taskId) =>
        [.. SignalNotices.Items.OfType<CancelSignalNotice>().Where(s => s.CaseId == caseId && s.TaskId == taskId)];

    public Task WaitForCaseAsync(string caseId, CaseStatus status) =>
        WaitForAsync(() => Case(caseId).Status == status, $"case {caseId} to be {ApiNames.Of(status)} (it is {ApiNames.Of(Case(caseId).Status)})");

    public Task WaitForTaskAsync(string caseId, string taskId, CaseTaskStatus status) =>
        WaitForAsync(() => Task(caseId, taskId)?.Status == status, $"task {caseId}/{taskId} to be {ApiNames.Of(status)}");

    /// <summary>Re-checks <paramref name="condition"/> after every committed turn and handled outbox item.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var signal = new SemaphoreSlim(0);
        void OnChanged() => signal.Release();
        Changed += OnChanged;
        try
        {
            using var timeout = new CancellationTokenSource(SafetyNet);
            while (!condition())
            {
                try
                {
                    await signal.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"Gave up waiting for {what}.");
                }
            }
        }
        finally
        {
            Changed -= OnChanged;
        }
    }

    private T? Read<T>(GrainId grain)
        where T : class => Store.ReadStateAsync(grain, CancellationToken.None).GetAwaiter().GetResult()?.State as T;

    private void RaiseChanged() => Changed?.Invoke();
}
