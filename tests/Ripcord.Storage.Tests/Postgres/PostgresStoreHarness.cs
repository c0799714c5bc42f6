using Microsoft.Extensions.Options;
using Npgsql;
using Ripcord.Grains.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Storage.Tests.Postgres;

/// <summary>
/// One migrated schema and any number of "processes" on it: each process has its own data sources, its own LISTEN
/// connection and its own index and history, as two silos would.
/// </summary>
internal sealed class PostgresStoreHarness : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private PostgresStoreHarness(PostgresFixture fixture, string schema)
    {
        Fixture = fixture;
        Schema = schema;
        Options = Microsoft.Extensions.Options.Options.Create(new PostgresStoreOptions { ConnectionString = fixture.ConnectionString, SchemaName = schema });
    }

    public PostgresFixture Fixture { get; }

    public string Schema { get; }

    public IOptions<PostgresStoreOptions> Options { get; }

    public static async Task<PostgresStoreHarness> CreateAsync(PostgresFixture fixture)
    {
        var harness = new PostgresStoreHarness(fixture, fixture.NewSchema());
        await PostgresSchema.MigrateAsync(harness.DataSource(), harness.Schema, default);
        return harness;
    }

    /// <summary>A new pool on the harness's schema (search path set, as the silo's is).</summary>
    public NpgsqlDataSource DataSource(bool pooled = true)
    {
        var builder = new NpgsqlDataSourceBuilder(Fixture.ConnectionString);
        builder.ConnectionStringBuilder.SearchPath = Schema;
        builder.ConnectionStringBuilder.Pooling = pooled;
        builder.ConnectionStringBuilder.ApplicationName = pooled ? "ripcord-test" : "ripcord-listen-test";
        var dataSource = builder.Build();
        _owned.Add(dataSource);
        return dataSource;
    }

    /// <summary>Another silo's view of the store.</summary>
    public Process NewProcess(TimeProvider? timeProvider = null)
    {
        var notifications = new PostgresNotifications(DataSource(pooled: false), Options);
        _owned.Insert(0, notifications);
        var pool = DataSource();
        return new Process(
            notifications,
            new PostgresCaseIndex(pool, notifications, Options, timeProvider),
            new PostgresCaseHistory(pool, notifications, Options, timeProvider));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    public sealed record Process(PostgresNotifications Notifications, PostgresCaseIndex Index, PostgresCaseHistory History);
}
