using Microsoft.Extensions.Options;
using Ripcord.Runtime.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>Several grain runtimes (silos) in this process sharing one schema of the fixture's database.</summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly PostgresFixture _fixture;
    private readonly Action<PostgresStoreOptions>? _configureStore;
    private readonly Action<RuntimeOptions>? _configureRuntime;

    public PostgresCluster(PostgresFixture fixture, Action<PostgresStoreOptions>? configureStore = null, Action<RuntimeOptions>? configureRuntime = null)
    {
        _fixture = fixture;
        _configureStore = configureStore;
        _configureRuntime = configureRuntime;
        Schema = fixture.NewSchema();
    }

    public string Schema { get; }

    public CommitLog Log { get; } = new();

    /// <summary>Log events of every silo's runtime, counted by id (stale commits, store failures...).</summary>
    public EventCounter<GrainRuntime> RuntimeEvents { get; } = new();

    /// <summary>Log events of every silo's store, counted by id (LISTEN reconnects, heartbeat failures...).</summary>
    public EventCounter<PostgresGrainStore> StoreEvents { get; } = new();

    public List<(GrainRuntime Runtime, PostgresGrainStore Store)> Silos { get; } = [];

    public GrainRuntime this[int index] => Silos[index].Runtime;

    public PostgresGrainStore StoreOf(int index) => Silos[index].Store;

    public PostgresStoreOptions StoreOptions()
    {
        var options = new PostgresStoreOptions
        {
            ConnectionString = _fixture.ConnectionString,
            SchemaName = Schema,
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            LeaseDuration = TimeSpan.FromSeconds(2),
            MaintenanceInterval = TimeSpan.FromSeconds(1),
        };
        _configureStore?.Invoke(options);
        return options;
    }

    public async Task<GrainRuntime> StartSiloAsync()
    {
        var siloId = $"silo-{Silos.Count + 1}";
        var store = new PostgresGrainStore(StoreOptions(), siloId, logger: StoreEvents);
        var runtimeOptions = new RuntimeOptions
        {
            SiloId = siloId,
            MaxDegreeOfParallelism = 4,
            PollInterval = TimeSpan.FromMilliseconds(200),
            RetryBackoffBase = TimeSpan.FromMilliseconds(20),
            RetryBackoffMax = TimeSpan.FromMilliseconds(500),
        };
        _configureRuntime?.Invoke(runtimeOptions);
        var registry = new GrainTypeRegistry().Add(CounterGrain.Type, new CounterGrain());
        var runtime = new GrainRuntime(store, registry, Options.Create(runtimeOptions), logger: RuntimeEvents);
        Log.Attach(runtime);
        Silos.Add((runtime, store));
        await runtime.StartAsync(CancellationToken.None);
        return runtime;
    }

    public async Task StartSilosAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await StartSiloAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (runtime, store) in Silos)
        {
            store.Thaw();
            try
            {
                await runtime.DisposeAsync();
            }
            finally
            {
                await store.DisposeAsync();
            }
        }
    }
}
