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
/// A row's change position is the id of the transaction that last wrote it (<c>change_xid</c>, stamped by a trigger;
/// each upsert is a transaction of one row, so positions are unique). The feed reads only positions below the oldest
/// transaction still running on the server: those transactions have all ended, so a feed that read up to 12 never
/// finds 11 committed later, and writers take no lock to keep it so. The price: while a write transaction stays
/// open anywhere on the server, the feed holds at its id until it ends. Each change is announced with NOTIFY
/// right after its commit, so waiters on every silo hear of it; one announced but not yet below the horizon is
/// looked for again after <see cref="HorizonRetry"/>.
/// </remarks>
public sealed class PostgresCaseIndex : ICaseIndex
{
    private const int ReadAllBatch = 500;
    private const string Columns = "case_id, process, status, created_at, ended_at, had_hold, measures::text, version, change_xid::text::bigint";

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
            WITH up AS (
                INSERT INTO {_table} AS c (case_id, process, status, created_at, ended_at, had_hold, measures, version)
                VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
                ON CONFLICT (case_id) DO UPDATE SET
                    process = EXCLUDED.process, status = EXCLUDED.status, created_at = EXCLUDED.created_at,
                    ended_at = EXCLUDED.ended_at, had_hold = EXCLUDED.had_hold, measures = EXCLUDED.measures,
                    version = EXCLUDED.version
                WHERE c.version < EXCLUDED.version
                RETURNING c.change_xid)
            SELECT change_xid FROM up
            """;
        _announceSql = $"SELECT pg_notify($1, change_xid::text) FROM {_table} WHERE case_id = $2";
    }

    public async ValueTask UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.CaseId);
        ArgumentNullException.ThrowIfNull(entry.Process);

        await using var batch = _dataSource.CreateBatch();
        var upsert = new NpgsqlBatchCommand(_upsertSql);
        batch.BatchCommands.Add(upsert);
        upsert.Parameters.Add(Text(entry.CaseId));
        upsert.Parameters.Add(Text(entry.Process));
        upsert.Parameters.Add(Text(CaseStatusNames.NameOf(entry.Status)));
        upsert.Parameters.Add(Timestamp(entry.CreatedAt));
        upsert.Parameters.Add(Timestamp(entry.EndedAt));
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = entry.HadHold });
        upsert.Parameters.Add(Text(JsonSerializer.Serialize(entry.Measures ?? CaseMeasures.Empty, RipcordJson.Options)));
        upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = entry.Version });
        if (_notify)
        {
            // Announced in a transaction of its own, after the upsert's commit and in the same round trip: NOTIFY
            // serializes the commits of all notifying transactions on the server, and one that writes nothing holds
            // that lock without a disk flush.
            upsert.AppendErrorBarrier = true;
            batch.BatchCommands.Add(Command(_announceSql, Text(_notifications.IndexChannel), Text(entry.CaseId)));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
            $"SELECT {Columns} FROM {_table} WHERE change_xid > $1::text::xid8 AND change_xid < {Horizon} ORDER BY change_xid LIMIT $2");
        command.Parameters.Add(Text(afterChangeSequence.ToString(CultureInfo.InvariantCulture)));
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
        await using var command = _dataSource.CreateCommand($"SELECT coalesce((SELECT change_xid::text::bigint FROM {_table} WHERE change_xid < {Horizon} ORDER BY change_xid DESC LIMIT 1), 0)");
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

    // timestamptz takes UTC only; the offset a caller used is not part of the instant.
    private static NpgsqlParameter Timestamp(DateTimeOffset? value) => new()
    {
        NpgsqlDbType = NpgsqlDbType.TimestampTz,
        Value = value is { } v ? v.ToUniversalTime() : DBNull.Value,
    };
}
