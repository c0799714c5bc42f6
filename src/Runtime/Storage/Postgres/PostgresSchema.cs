using Npgsql;

namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>
/// The store's tables, created and migrated at start. Migrations run under a transaction-scoped advisory lock, so
/// silos starting together apply each one once; <c>schema_version</c> records what was applied.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>SQLSTATE raised by <c>fence()</c> when a commit's epoch or version is stale.</summary>
    public const string StaleSqlState = "RC409";

    public static readonly int CurrentVersion = Migrations("x").Length;

    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = "ripcord.schema:" + schema });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_version (
                version integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now());
            """, cancellationToken).ConfigureAwait(false);

        int applied;
        await using (var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema}.schema_version", connection, transaction))
        {
            applied = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var migrations = Migrations(schema);
        if (applied > migrations.Length)
        {
            throw new InvalidOperationException($"Schema {schema} is at version {applied}, newer than this build knows ({migrations.Length}).");
        }

        for (var i = applied; i < migrations.Length; i++)
        {
            await ExecuteAsync(connection, transaction, migrations[i], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"INSERT INTO {schema}.schema_version (version) VALUES ({i + 1})", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return migrations.Length - applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Append only: a released migration is never edited, a change is a new entry.
    private static string[] Migrations(string s) =>
    [
        $$"""
        -- Cluster membership: not case data, the one table without case_id.
        CREATE TABLE {{s}}.silos (
            silo_id      text PRIMARY KEY,
            started_at   timestamptz NOT NULL,
            heartbeat_at timestamptz NOT NULL,
            expires_at   timestamptz NOT NULL,
            stopped_at   timestamptz NULL);

        -- A grain's lease is live while its owner's silo row is live (not stopped, not expired): a heartbeat renews
        -- every lease of a silo with one row write. epoch is the fencing token, bumped by every activation.
        CREATE TABLE {{s}}.grains (
            case_id    text NOT NULL,
            grain_type text NOT NULL,
            grain_key  text NOT NULL,
            state      jsonb NULL,
            state_type text NULL,
            version    bigint NOT NULL DEFAULT 0,
            epoch      bigint NOT NULL DEFAULT 0,
            owner      text NULL,
            leased_at  timestamptz NULL,
            PRIMARY KEY (case_id, grain_type, grain_key))
            WITH (fillfactor = 80);

        -- Rows live from enqueue to the commit of the turn that handles them: keep autovacuum eager here.
        CREATE TABLE {{s}}.mailbox (
            case_id        text NOT NULL,
            grain_type     text NOT NULL,
            grain_key      text NOT NULL,
            id             bigint GENERATED ALWAYS AS IDENTITY,
            body           jsonb NOT NULL,
            body_type      text NOT NULL,
            sender_case    text NULL,
            sender_type    text NULL,
            sender_key     text NULL,
            correlation_id uuid NULL,
            reminder_name  text NULL,
            enqueued_at    timestamptz NOT NULL,
            PRIMARY KEY (case_id, grain_type, grain_key, id))
            WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                  autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02,
                  autovacuum_vacuum_cost_delay = 0);

        CREATE TABLE {{s}}.reminders (
            case_id    text NOT NULL,
            grain_type text NOT NULL,
            grain_key  text NOT NULL,
            name       text NOT NULL,
            due_at     timestamptz NOT NULL,
            body       jsonb NOT NULL,
            body_type  text NOT NULL,
            PRIMARY KEY (case_id, grain_type, grain_key, name));
        CREATE INDEX reminders_due ON {{s}}.reminders (due_at);

        -- Per-case counter that keeps history sequences gap free: its row lock orders appends within a case.
        CREATE TABLE {{s}}.cases (
            case_id     text PRIMARY KEY,
            history_seq bigint NOT NULL);

        CREATE TABLE {{s}}.history (
            case_id  text NOT NULL,
            sequence bigint NOT NULL,
            at       timestamptz NOT NULL,
            type     text NOT NULL,
            actor    text NOT NULL,
            reason   text NULL,
            task_id  text NULL,
            detail   jsonb NULL,
            PRIMARY KEY (case_id, sequence));

        CREATE TABLE {{s}}.dead_letters (
            case_id    text NOT NULL,
            id         bigint GENERATED ALWAYS AS IDENTITY,
            grain_type text NOT NULL,
            grain_key  text NOT NULL,
            message_id bigint NOT NULL,
            body       jsonb NOT NULL,
            body_type  text NOT NULL,
            error      text NOT NULL,
            attempts   integer NOT NULL,
            at         timestamptz NOT NULL,
            PRIMARY KEY (case_id, id));
        CREATE INDEX dead_letters_id ON {{s}}.dead_letters (id);

        -- silo_id: the silo carrying the item out; another silo takes it over when that one is gone.
        CREATE TABLE {{s}}.outbox (
            case_id      text NOT NULL,
            id           bigint GENERATED ALWAYS AS IDENTITY,
            topic        text NOT NULL,
            source_type  text NOT NULL,
            source_key   text NOT NULL,
            payload      jsonb NOT NULL,
            payload_type text NOT NULL,
            silo_id      text NOT NULL,
            created_at   timestamptz NOT NULL,
            PRIMARY KEY (case_id, id))
            WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
        CREATE INDEX outbox_id ON {{s}}.outbox (id);

        -- Answers to asks whose caller waits on another silo; taken (deleted) by that silo.
        CREATE TABLE {{s}}.replies (
            case_id        text NOT NULL,
            correlation_id uuid NOT NULL,
            value          jsonb NOT NULL,
            value_type     text NOT NULL,
            created_at     timestamptz NOT NULL,
            PRIMARY KEY (case_id, correlation_id))
            WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
        CREATE INDEX replies_created ON {{s}}.replies (created_at);

        -- Raises when a commit's fencing check found no row, so the rest of the commit's batch never runs.
        CREATE FUNCTION {{s}}.fence(checked_version bigint) RETURNS bigint LANGUAGE plpgsql AS $fn$
        BEGIN
            IF checked_version IS NULL THEN
                RAISE EXCEPTION 'stale epoch or version' USING ERRCODE = '{{StaleSqlState}}';
            END IF;
            RETURN checked_version;
        END
        $fn$;
        """,
        $$"""
        -- Who holds what, for the cluster view; partial, so the many unowned grains cost nothing.
        CREATE INDEX grains_owner ON {{s}}.grains (owner) WHERE owner IS NOT NULL;
        """,
    ];
}
