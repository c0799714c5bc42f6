using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Ripcord.Contracts;
using Ripcord.Grains.Storage.InMemory;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// The case index in <c>ripcord_case_index</c>, shared by every silo of the cluster.
/// </summary>
/// <remarks>
/// A row's change position is the id of the transaction that last wrote it (<c>change_xid</c>, stamped by a trigger)
/// times <see cref="PositionsPerTransaction"/>, plus the row's place among the rows that transaction wrote
/// (<c>change_position</c>): upserts that arrive together go in one transaction (a round, see
/// <see cref="WriteRounds{T}"/>), and positions stay unique. The feed reads only transactions below the oldest one
/// still running on the server: those have all ended, so a feed that read up to one never finds an older one
/// committed later, and writers take no lock to keep it so. The price: while a write transaction stays open
/// anywhere on the server, the feed holds at its id until it ends. Each round is announced with NOTIFY right after
/// its commit, so waiters on every silo hear of it; one announced but not yet below the horizon is looked for again
/// after <see cref="HorizonRetry"/>.
/// </remarks>
public sealed partial class PostgresCaseIndex : ICaseIndex
{
    private const int ReadAllBatch = 500;

    /// <summary>Positions a transaction has for its rows; a round writes fewer rows than this.</summary>
    private const int PositionsPerTransaction = 4096;

    /// <summary>The most rows of a round.</summary>
    private const int MaxRoundRows = 1000;
    private const string Columns = "case_id, process, status, created_at, ended_at, had_hold, measures::text, version, change_position";

    /// <summary>Positions below this have ended: the live feed's horizon.</summary>
    private const string Horizon = "pg_snapshot_xmin(pg_current_snapshot())";

    /// <summary>How soon a change announced above the horizon is looked for again.</summary>
    private static readonly TimeSpan HorizonRetry = TimeSpan.FromMilliseconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresNotifications _notifications;
    private readonly TimeProvider _timeProvider;
    private readonly string _table;
    private readonly string _upsertSql;
    private readonly string _announceSql;
    private readonly bool _notify;
    private readonly WriteRounds<Upsert> _rounds;

    /// <param name="dataSource">The store's pool.</param>
    /// <param name="notifications">This process's LISTEN connection, shared with the history.</param>
    /// <param name="options">The schema is taken from these.</param>
    /// <param name="timeProvider">The clock wait timeouts are measured on (a fake one in tests).</param>
    public PostgresCaseIndex(NpgsqlDataSource dataSource, PostgresNotifications notifications, IOptions<PostgresStoreOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(options);
        var schema = options.Value.SchemaName;
        PostgresSchema.ThrowIfInvalidName(schema);
        _dataSource = dataSource;
        _notifications = notifications;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _table = schema + ".ripcord_case_index";
        _notify = options.Value.NotificationsEnabled;
        _upsertSql = $"""
            INSERT INTO {_table} AS c (case_id, process, status, created_at, ended_at, had_hold, measures, version, change_position)
            SELECT e.case_id, e.process, e.status, e.created_at, e.ended_at, e.had_hold, e.measures::jsonb, e.version,
                pg_current_xact_id()::text::bigint * {PositionsPerTransaction} + e.ord
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::boolean[], $7::text[], $8::bigint[])
                WITH ORDINALITY AS e(case_id, process, status, created_at, ended_at, had_hold, measures, version, ord)
            ORDER BY e.ord
            ON CONFLICT (case_id) DO UPDATE SET
                process = EXCLUDED.process, status = EXCLUDED.status, created_at = EXCLUDED.created_at,
                ended_at = EXCLUDED.ended_at, had_hold = EXCLUDED.had_hold, measures = EXCLUDED.measures,
                version = EXCLUDED.version, change_position = EXCLUDED.change_position
            WHERE c.version < EXCLUDED.version
            """;
        _announceSql = $"SELECT pg_notify($1, max(change_position)::text) FROM {_table} WHERE case_id = ANY($2) HAVING count(*) > 0";
        _rounds = new WriteRounds<Upsert>(WriteAsync, static _ => 1, static (u, failure) => u.Finish(failure), MaxRoundRows);
    }

    public async ValueTask<CaseIndexEntry?> GetAsync(string caseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM {_table} WHERE case_id = $1");
        command.Parameters.Add(Text(caseId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
    }

    public async ValueTask<CasePage> QueryAsync(CaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);

        // Only the filters asked for appear in the text, so each combination gets a plan that uses its index.
        var sql = new StringBuilder($"SELECT {Columns} FROM {_table} WHERE true");
        var parameters = new List<NpgsqlParameter>();
        if (query.Status is { } status)
        {
            parameters.Add(Text(CaseStatusNames.NameOf(status)));
            sql.Append(" AND status = $").Append(parameters.Count);
        }

        if (query.Process is not null)
        {
            parameters.Add(Text(query.Process));
            sql.Append(" AND process = $").Append(parameters.Count);
        }

        if (query.After is not null)
        {
            parameters.Add(Text(query.After));
            sql.Append(" AND case_id > $").Append(parameters.Count);
        }

        // One row more than the page tells whether there is a next page.
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = query.Limit == int.MaxValue ? int.MaxValue : query.Limit + 1 });
        sql.Append(" ORDER BY case_id LIMIT $").Append(parameters.Count);

        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(sql.ToString(), [.. parameters]));
        batch.BatchCommands.Add(Command($"SELECT status, count(*)::integer FROM {_table} GROUP BY status"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = ImmutableArray.CreateBuilder<CaseIndexEntry>(Math.Min(query.Limit, 1024));
        string? next = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (rows.Count == query.Limit)
            {
                next = rows[^1].CaseId;
                break;
            }

            rows.Add(ReadEntry(reader));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var counts = ImmutableDictionary.CreateBuilder<CaseStatus, int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[CaseStatusNames.Parse(reader.GetString(0))] = reader.GetInt32(1);
        }

        return new CasePage(rows.ToImmutable(), next, counts.ToImmutable());
    }

    public async IAsyncEnumerable<CaseIndexEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Keyset batches: no cursor or transaction stays open while the caller works through a batch.
        string? after = null;
        while (true)
        {
            var batch = new List<CaseIndexEntry>(ReadAllBatch);
            await using (var command = _dataSource.CreateCommand(after is null
                ? $"SELECT {Columns} FROM {_table} ORDER BY case_id LIMIT {ReadAllBatch}"
                : $"SELECT {Columns} FROM {_table} WHERE case_id > $1 ORDER BY case_id LIMIT {ReadAllBatch}"))
            {
                if (after is not null)
                {
                    command.Parameters.Add(Text(after));
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(ReadEntry(reader));
                }
            }

            foreach (var row in batch)
            {
                yield return row;
            }

            if (batch.Count < ReadAllBatch)
            {
                yield break;
            }

            after = batch[^1].CaseId;
        }
    }

    public async ValueTask<IReadOnlyList<CaseIndexEntry>> ReadChangesAsync(long afterChangeSequence, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var command = _dataSource.CreateCommand(
            $"SELECT {Columns} FROM {_table} WHERE change_position > $1 AND change_xid < {Horizon} ORDER BY change_position LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = afterChangeSequence });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = max });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<CaseIndexEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadEntry(reader));
        }

        return rows;
    }

    public async ValueTask<long> LastChangeSequenceAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT coalesce((SELECT change_position FROM {_table} WHERE change_xid < {Horizon} ORDER BY change_position DESC LIMIT 1), 0)");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task WaitForChangeAsync(long afterChangeSequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Pulse.DeadlineOf(timeout, _timeProvider);
        await _notifications.WhenListeningAsync(cancellationToken).ConfigureAwait(false);
        if (_notifications.Index.Highest > afterChangeSequence && await LastChangeSequenceAsync(cancellationToken).ConfigureAwait(false) <= afterChangeSequence)
        {
            // Announced, but an older transaction is still open: the change is readable once it ends. Operational
            // time, as the reconnect backoff: the system clock, never a test's moved one.
            await Task.Delay(HorizonRetry, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _notifications.Index.WaitAsync(
            afterChangeSequence,
            async ct => await LastChangeSequenceAsync(ct).ConfigureAwait(false),
            deadline,
            _timeProvider,
            cancellationToken).ConfigureAwait(false);
    }

    private static CaseIndexEntry ReadEntry(NpgsqlDataReader reader) => new()
    {
        CaseId = reader.GetString(0),
        Process = reader.GetString(1),
        Status = CaseStatusNames.Parse(reader.GetString(2)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
        EndedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        HadHold = reader.GetBoolean(5),
        Measures = JsonSerializer.Deserialize<CaseMeasures>(reader.GetString(6), RipcordJson.Options) ?? CaseMeasures.Empty,
        Version = reader.GetInt64(7),
        ChangeSequence = reader.GetInt64(8),
    };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value };
}
