using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// Brings the schema up to date while the silo starts, in a lifecycle stage before any Orleans provider reads
/// <c>OrleansQuery</c>. Measured with 10.4.2: the membership table is first read in
/// <see cref="ServiceLifecycleStage.RuntimeGrainServices"/> (a migration subscribed there or later finds no
/// <c>OrleansQuery</c>), grain storage and reminders come later still. Running in the lifecycle, not in the builder
/// call, keeps it asynchronous, cancellable by the host and ordered with the providers; the advisory lock in
/// <see cref="PostgresSchema"/> makes silos starting together safe.
/// </summary>
internal sealed class PostgresMigrationParticipant : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Well before membership (the first provider to touch the database), after nothing that needs it.</summary>
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 100;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStoreOptions _options;
    private readonly ILogger _logger;

    public PostgresMigrationParticipant(NpgsqlDataSource dataSource, IOptions<PostgresStoreOptions> options, ILogger<PostgresMigrationParticipant> logger)
    {
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(PostgresMigrationParticipant), Stage, StartAsync);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = _options.SchemaName;
        try
        {
            if (_options.ApplyMigrations)
            {
                var applied = await PostgresSchema.MigrateAsync(_dataSource, schema, cancellationToken).ConfigureAwait(false);
                if (applied > 0)
                {
                    PostgresLog.SchemaMigrated(_logger, schema, applied, PostgresSchema.CurrentVersion);
                }
                else
                {
                    PostgresLog.SchemaCurrent(_logger, schema, PostgresSchema.CurrentVersion);
                }

                return;
            }

            var version = await PostgresSchema.VersionAsync(_dataSource, schema, cancellationToken).ConfigureAwait(false);
            if (version != PostgresSchema.CurrentVersion)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL schema '{schema}' is at version {version}; this build needs version {PostgresSchema.CurrentVersion}. "
                    + "Apply the migrations (start one silo with Ripcord:Store:Postgres:ApplyMigrations=true) or run a matching build.");
            }

            PostgresLog.SchemaCurrent(_logger, schema, version);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            PostgresLog.SchemaFailed(_logger, e, schema);
            throw;
        }
    }
}
