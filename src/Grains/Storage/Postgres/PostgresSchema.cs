using System.Text.RegularExpressions;
using Npgsql;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// Everything the cluster keeps in PostgreSQL, created and migrated by the silos themselves. All pending migrations
/// run in one transaction under a transaction-scoped advisory lock, so silos starting together apply each one once
/// and a silo that dies halfway leaves nothing half applied; <c>ripcord_schema_migrations</c> records what was
/// applied, so a restart applies nothing.
/// </summary>
public static partial class PostgresSchema
{
    /// <summary>The version this build brings the schema to.</summary>
    public static int CurrentVersion => Migrations("s").Length;

    /// <summary>
    /// Applies the migrations <paramref name="schema"/> lacks (creating the schema when missing) and returns how many
    /// were applied: 0 when it was already current.
    /// </summary>
    /// <exception cref="InvalidOperationException">The schema is newer than this build knows.</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ThrowIfInvalidName(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = "ripcord.schema:" + schema });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Checked before creating: CREATE SCHEMA needs the database's CREATE right even when the schema exists.
        bool exists;
        await using (var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            exists = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (!exists)
        {
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {schema}", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {schema}.ripcord_schema_migrations (
                version     integer PRIMARY KEY,
                description text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now())
            """, cancellationToken).ConfigureAwait(false);

        var applied = await AppliedVersionAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
        var migrations = Migrations(schema);
        if (applied > migrations.Length)
        {
            throw new InvalidOperationException(
                $"PostgreSQL schema '{schema}' is at version {applied}, newer than this build knows ({migrations.Length}). Run a build at least as new as the one that migrated it.");
        }

        for (var i = applied; i < migrations.Length; i++)
        {
            var migration = migrations[i];
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            foreach (var (key, text) in migration.Queries)
            {
                await using var command = new NpgsqlCommand(
                    $"INSERT INTO {schema}.OrleansQuery (QueryKey, QueryText) VALUES ($1, $2) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText",
                    connection,
                    transaction);
                command.Parameters.Add(new NpgsqlParameter { Value = key });
                command.Parameters.Add(new NpgsqlParameter { Value = text });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand($"INSERT INTO {schema}.ripcord_schema_migrations (version, description) VALUES ($1, $2)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = i + 1 });
                command.Parameters.Add(new NpgsqlParameter { Value = migration.Description });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return migrations.Length - applied;
    }

    /// <summary>The version <paramref name="schema"/> is at: 0 when it (or its migrations table) does not exist.</summary>
    public static async Task<int> VersionAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ThrowIfInvalidName(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema + ".ripcord_schema_migrations" });
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        return await AppliedVersionAsync(connection, null, schema, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="name"/> may be used as the schema: it is spliced into SQL text and channel names.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    internal static void ThrowIfInvalidName(string? schema)
    {
        if (!IsValidName(schema))
        {
            throw new ArgumentException(
                $"PostgreSQL schema name '{schema}' is not valid: use 1 to 40 lower-case letters, digits or underscores, starting with a letter or underscore.",
                nameof(schema));
        }
    }

    private static async Task<int> AppliedVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema}.ripcord_schema_migrations", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Append only: a released migration is never edited; a change is a new entry (a changed Orleans query is a new
    // entry that upserts its row again).
    private static Migration[] Migrations(string s) =>
    [
        new(
            "Orleans membership, grain state, reminders and their queries; Ripcord case index and history",
            $$"""
            -- Orleans' providers read their statements from here (the one name fixed by Orleans).
            CREATE TABLE {{s}}.OrleansQuery (
                QueryKey  varchar(64) PRIMARY KEY,
                QueryText text NOT NULL);

            -- Membership: one version row per cluster (deployment id); every member change moves it (compare-and-swap).
            CREATE TABLE {{s}}.orleans_membership_version (
                deployment_id text PRIMARY KEY,
                version       integer NOT NULL DEFAULT 0,
                changed_at    timestamptz NOT NULL DEFAULT now());

            CREATE TABLE {{s}}.orleans_membership (
                deployment_id   text NOT NULL REFERENCES {{s}}.orleans_membership_version (deployment_id) ON DELETE CASCADE,
                address         text NOT NULL,
                port            integer NOT NULL,
                generation      integer NOT NULL,
                silo_name       text NOT NULL,
                host_name       text NOT NULL,
                status          integer NOT NULL,
                proxy_port      integer NOT NULL,
                suspect_times   text NULL,
                start_time      timestamptz NOT NULL,
                i_am_alive_time timestamptz NOT NULL,
                PRIMARY KEY (deployment_id, address, port, generation));

            -- Grain state. grain_type_string is the state name; grain_id_extension_string is '' for none.
            CREATE TABLE {{s}}.orleans_storage (
                service_id                text NOT NULL,
                grain_id_hash             integer NOT NULL,
                grain_id_n0               bigint NOT NULL,
                grain_id_n1               bigint NOT NULL,
                grain_type_hash           integer NOT NULL,
                grain_type_string         text NOT NULL,
                grain_id_extension_string text NOT NULL,
                payload_binary            bytea NULL,
                version                   integer NOT NULL,
                modified_at               timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (service_id, grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type_string, grain_id_extension_string));

            -- Reminders; silos read them by ranges of grain_hash (a signed 32-bit ring position).
            CREATE TABLE {{s}}.orleans_reminders (
                service_id    text NOT NULL,
                grain_id      text NOT NULL,
                reminder_name text NOT NULL,
                start_time    timestamptz NOT NULL,
                period        bigint NOT NULL,
                grain_hash    integer NOT NULL,
                version       integer NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name));
            CREATE INDEX orleans_reminders_ring ON {{s}}.orleans_reminders (service_id, grain_hash);

            -- Case index: one row per case. COLLATE "C" orders case ids by code point, as keyset paging expects.
            CREATE SEQUENCE {{s}}.ripcord_case_change_seq AS bigint;
            CREATE TABLE {{s}}.ripcord_case_index (
                case_id    text COLLATE "C" PRIMARY KEY,
                process    text NOT NULL,
                status     text NOT NULL,
                created_at timestamptz NOT NULL,
                ended_at   timestamptz NULL,
                had_hold   boolean NOT NULL,
                measures   jsonb NOT NULL,
                version    bigint NOT NULL,
                change_seq bigint NOT NULL);
            CREATE UNIQUE INDEX ripcord_case_index_change ON {{s}}.ripcord_case_index (change_seq);
            CREATE INDEX ripcord_case_index_status ON {{s}}.ripcord_case_index (status, case_id);
            CREATE INDEX ripcord_case_index_process ON {{s}}.ripcord_case_index (process, case_id);

            -- Case history. The counter row per case is locked by every append to that case, which orders appends
            -- and keeps sequences gap free.
            CREATE TABLE {{s}}.ripcord_history_counter (
                case_id       text COLLATE "C" PRIMARY KEY,
                last_sequence bigint NOT NULL);

            CREATE TABLE {{s}}.ripcord_history (
                case_id  text COLLATE "C" NOT NULL,
                sequence bigint NOT NULL,
                event_id text NOT NULL,
                at       timestamptz NOT NULL,
                type     text NOT NULL,
                actor    text NOT NULL,
                reason   text NULL,
                task_id  text NULL,
                detail   jsonb NULL,
                PRIMARY KEY (case_id, sequence),
                UNIQUE (case_id, event_id));
            """,
            PostgresOrleansQueries.For(s)),
        new(
            "Case index: each row stamped with the id of the transaction that wrote it, the change feed's position",
            $$"""
            -- A transaction id below the oldest one still running belongs to a finished transaction, so the feed reads
            -- up to that horizon and never finds an older position committed after it read: no lock orders the
            -- writers. The trigger stamps every write, including those of silos of an older release during an upgrade.
            ALTER TABLE {{s}}.ripcord_case_index ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
            CREATE FUNCTION {{s}}.ripcord_case_index_stamp() RETURNS trigger LANGUAGE plpgsql AS $stamp$
            BEGIN
                NEW.change_xid := pg_current_xact_id();
                RETURN NEW;
            END
            $stamp$;
            CREATE TRIGGER ripcord_case_index_stamp BEFORE INSERT OR UPDATE ON {{s}}.ripcord_case_index
                FOR EACH ROW EXECUTE FUNCTION {{s}}.ripcord_case_index_stamp();
            CREATE INDEX ripcord_case_index_change_xid ON {{s}}.ripcord_case_index (change_xid);

            -- change_seq stays for the feeds of silos of an older release until every silo runs this one; new rows
            -- take it from its default.
            ALTER TABLE {{s}}.ripcord_case_index ALTER COLUMN change_seq SET DEFAULT nextval('{{s}}.ripcord_case_change_seq');
            """,
            []),
        new(
            "Case history: redaction of a case's payloads (data minimization), marked on its counter row",
            $$"""
            -- Null until the case is redacted; then whether its audit snapshots are kept. Appends read it under the
            -- counter row's lock and redact what they insert.
            ALTER TABLE {{s}}.ripcord_history_counter ADD COLUMN redacted_keep_snapshots boolean NULL;

            -- HistoryRedaction's rule: each payload field of an event's detail becomes its size; everything else stays.
            CREATE FUNCTION {{s}}.ripcord_redact(detail jsonb, keep_snapshots boolean) RETURNS jsonb
            LANGUAGE sql IMMUTABLE STRICT AS $redact$
                SELECT CASE WHEN jsonb_typeof(detail) <> 'object' THEN detail ELSE coalesce((
                    SELECT jsonb_object_agg(key, CASE
                        WHEN (key IN ('input', 'output', 'checkpoint', 'progress', 'release', 'kind') OR (key = 'snapshot' AND NOT keep_snapshots))
                            AND jsonb_typeof(value) <> 'null'
                            AND (value -> 'redacted') IS DISTINCT FROM 'true'::jsonb
                        THEN jsonb_build_object('redacted', true, 'bytes', octet_length(value::text))
                        ELSE value END)
                    FROM jsonb_each(detail)), detail) END
            $redact$;
            """,
            []),
    ];

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();

    private sealed record Migration(string Description, string Sql, IReadOnlyList<KeyValuePair<string, string>> Queries);
}
