using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Resources;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Diagnostics;
using Ripcord.Grains.Agents;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Storage.InMemory;
using Ripcord.Grains.Tasks;
using Ripcord.Testing.Orleans;

namespace Ripcord.Grains.Tests;

/// <summary>
/// The real grains on an Orleans test cluster of two silos, with a fake domain clock. By default the silos share one
/// grain storage and reminder table that outlive a killed silo (as a real store does); the PostgreSQL variant puts
/// everything on PostgreSQL. Waits are on written turns (the <c>ripcord.grains.turns</c> measurement) and handled
/// outbox items, with a wall-clock safety net so a broken test fails instead of hanging, never on sleeps.
/// </summary>
public sealed partial class DomainHarness : IAsyncDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(20);
    private readonly MeterListener _turns = new();
    private readonly ConcurrentDictionary<string, int> _deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Method, string Key), int> _handovers = new();
    private event Action? Changed;

    private DomainHarness()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        ReadyNotices = new RecordingHandler(OutboxTopics.TaskReady, RaiseChanged);
        SignalNotices = new RecordingHandler(OutboxTopics.TaskCancelSignal, RaiseChanged);
        _turns.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RipcordInstruments.Name && instrument.Name == RipcordInstruments.TurnsName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _turns.SetMeasurementEventCallback<long>((_, _, _, _) => RaiseChanged());
        _turns.Start();
    }

    public FakeTimeProvider Clock { get; }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public GrainReferences References { get; private set; } = null!;

    /// <summary>The shared grain storage of the in-memory variant (null on PostgreSQL).</summary>
    public SharedGrainStorage? SharedStorage { get; private set; }

    public StubHttp Http { get; } = new();

    public RecordingHandler ReadyNotices { get; }

    public RecordingHandler SignalNotices { get; }

    /// <summary>
    /// Starts the grains on a two-silo cluster. <paramref name="stores"/> adds the stores to each silo; by default a
    /// storage and reminder table shared by the silos and an in-memory case index and history. The recovery period is
    /// 1 s unless <paramref name="durability"/> says otherwise.
    /// </summary>
    public static async Task<DomainHarness> StartAsync(Action<ISiloBuilder>? stores = null, int silos = 2, Action<DurabilityOptions>? durability = null)
    {
        var harness = new DomainHarness();
        if (stores is null)
        {
            var storage = new SharedGrainStorage(RipcordJson.Options);
            var reminders = new SharedReminderTable();
            var index = new InMemoryCaseIndex();
            var history = new InMemoryCaseHistory();
            harness.SharedStorage = storage;
            stores = silo =>
            {
                silo.UseSharedTestStores(storage, reminders, RipcordStorage.Name, TimeSpan.FromSeconds(1));
                silo.Services.AddSingleton<ICaseIndex>(index);
                silo.Services.AddSingleton<ICaseHistory>(history);
            };
        }

        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(new RipcordClock(harness.Clock));
            silo.AddRipcordGrains(o =>
            {
                o.RecoveryPeriod = TimeSpan.FromSeconds(1);
                durability?.Invoke(o);
            });
            silo.Services.Configure<ResourceOptions>(o => o.AllowedReleaseHosts.Add("*.test"));
            silo.Services.Configure<KillHookOptions>(o => o.AllowedKillHookHosts.Add("*.test"));
            stores(silo);
            silo.Services.AddSingleton<IOutboxHandler>(harness.ReadyNotices);
            silo.Services.AddSingleton<IOutboxHandler>(harness.SignalNotices);
            silo.Services.AddSingleton<IHttpClientFactory>(harness.Http);
            silo.AddIncomingGrainCallFilter(harness.CountDeliveriesAsync);
        });
        harness.Cluster = builder.Build();
        await harness.Cluster.DeployAsync();
        harness.References = new GrainReferences(harness.Grains);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        _turns.Dispose();
        await Cluster.DisposeAsync();
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

    public ICaseGrain CaseGrain(string caseId) => Grains.GetGrain<ICaseGrain>(GrainKeys.Case(caseId));

    public ITaskGrain TaskGrain(string caseId, string taskId) => Grains.GetGrain<ITaskGrain>(GrainKeys.Task(caseId, taskId));

    /// <summary>Sends a command to the case grain's method for its type and returns the reply.</summary>
    public async Task<T> AskCaseAsync<T>(string caseId, object message)
    {
        var grain = CaseGrain(caseId);
        Task<object> call = message switch
        {
            StartCase m => Box(grain.Start(m)),
            CancelCase m => Box(grain.Cancel(m)),
            ConfirmCancel m => Box(grain.ConfirmCancel(m)),
            OverrideCancel m => Box(grain.OverrideCancel(m)),
            CancelActivity m => Box(grain.CancelActivity(m)),
            RateOutput m => Box(grain.Rate(m)),
            PurgeCase m => Box(grain.Purge(m)),
            _ => throw new ArgumentException($"The case grain has no command {message.GetType().Name}.", nameof(message)),
        };
        return (T)await call.WaitAsync(SafetyNet);
    }

    /// <summary>Sends a command to the task grain's method for its type and returns the reply.</summary>
    public async Task<T> AskTaskAsync<T>(string caseId, string taskId, object message)
    {
        var grain = TaskGrain(caseId, taskId);
        Task<object> call = message switch
        {
            ClaimTask m => Box(grain.Claim(m)),
            Heartbeat m => Box(grain.Heartbeat(m)),
            CompleteTask m => Box(grain.Complete(m)),
            AckCancel m => Box(grain.AckCancel(m)),
            FailTask m => Box(grain.Fail(m)),
            RegisterResource m => Box(grain.RegisterResource(m)),
            FreeResource m => Box(grain.FreeResource(m)),
            _ => throw new ArgumentException($"The task grain has no command {message.GetType().Name}.", nameof(message)),
        };
        return (T)await call.WaitAsync(SafetyNet);
    }

    /// <summary>How many outbox mails have entered the grain of <paramref name="grainKey"/> (applied or waiting for a write).</summary>
    public int DeliveriesEntered(string grainKey) => _deliveries.GetValueOrDefault(grainKey);

    /// <summary>
    /// How many calls an ending activation sent its next one (<c>Wake</c> of a durable grain, <c>Restore</c> of an
    /// in-memory one) the grain of <paramref name="grainKey"/> has applied.
    /// </summary>
    public int HandoversApplied(string method, string grainKey) => _handovers.GetValueOrDefault((method, grainKey));

    private async Task CountDeliveriesAsync(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name is nameof(IDurableGrain.Wake) or nameof(IReadyTasksGrain.Restore))
        {
            await context.Invoke();
            _handovers.AddOrUpdate((context.InterfaceMethod.Name, context.TargetId.Key.ToString()!), 1, (_, n) => n + 1);
            RaiseChanged();
            return;
        }

        if (context.InterfaceMethod?.Name != nameof(IDurableGrain.Deliver))
        {
            await context.Invoke();
            return;
        }

        // Counted once the grain has taken the mail in (its synchronous part ran): applied, or waiting behind a write.
        var call = context.Invoke();
        _deliveries.AddOrUpdate(context.TargetId.Key.ToString()!, 1, (_, n) => n + 1);
        RaiseChanged();
        await call;
    }

    /// <summary>Delivers <paramref name="message"/> as outbox mail from <paramref name="sender"/> (for at-least-once tests).</summary>
    public Task DeliverAsync(string targetKey, string sender, long sequence, object message)
    {
        var grain = References.Durable(targetKey);
        return grain.Deliver(new Mail(sender, sequence, message)).WaitAsync(SafetyNet);
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

    public CaseState Case(string caseId) => Read<CaseState>(RipcordStorage.CaseState, GrainKeys.Case(caseId)) ?? CaseState.Empty(caseId);

    public TaskState? Task(string caseId, string taskId) => Read<TaskState>(RipcordStorage.TaskState, GrainKeys.Task(caseId, taskId));

    public RegistryState? Registry(string caseId) => Read<RegistryState>(RipcordStorage.RegistryState, GrainKeys.Registry(caseId));

    /// <summary>The stored record of a grain (state, outbox, deadlines), as its storage holds it.</summary>
    public GrainRecord<T>? Record<T>(string stateName, string key)
        where T : class
    {
        var storage = AnySilo().GetRequiredKeyedService<IGrainStorage>(RipcordStorage.Name);
        var state = new GrainState<GrainRecord<T>>();
        storage.ReadStateAsync(stateName, GrainIdOf(key), state).GetAwaiter().GetResult();
        return state.RecordExists ? state.State : null;
    }

    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string caseId) =>
        await AnySilo().GetRequiredService<ICaseHistory>().ReadAsync(caseId, 0, 10_000, CancellationToken.None);

    /// <summary>The case's history, read synchronously for use in wait conditions.</summary>
    public IReadOnlyList<HistoryEvent> History(string caseId) => HistoryAsync(caseId).GetAwaiter().GetResult();

    public async Task<CaseView> ViewAsync(string caseId) => (await CaseGrain(caseId).GetView(1000).WaitAsync(SafetyNet))!;

    public ImmutableArray<CancelSignalNotice> SignalsFor(string caseId, string taskId) =>
        [.. SignalNotices.Items.OfType<CancelSignalNotice>().Where(s => s.CaseId == caseId && s.TaskId == taskId)];

    /// <summary>A silo's services (any live one: they share the stores).</summary>
    public IServiceProvider AnySilo() => Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress);

    private T? Read<T>(string stateName, string key)
        where T : class => Record<T>(stateName, key)?.State;

    private GrainId GrainIdOf(string key) => References.Durable(key).GetGrainId();

    private static async Task<object> Box<T>(Task<T> task)
        where T : notnull => await task;

    private void RaiseChanged() => Changed?.Invoke();
}
