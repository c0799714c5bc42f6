using System.Collections.Immutable;
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
/// Accepted upserts take their change sequence under one transaction-scoped advisory lock, held until commit, so
/// sequences become visible in the order they were given out: a live feed that read up to 12 never finds 11
/// committed later. That orders index writes cluster-wide, which their rate (a few per case's life) affords; the
/// guard on the version keeps a stale write from costing more than the lock. Each accepted change is announced with
/// NOTIFY in the same transaction, so waiters on every silo hear of it once it is visible.
/// </remarks>
public sealed class PostgresCaseIndex : ICaseIndex
{
    private const int ReadAllBatch = 500;
    private const string Columns = "case_id, process, status, created_at, ended_at, had_hold, measures::text, version, change_seq";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresNotifications _notifications;
    private readonly TimeProvider _timeProvider;
    private readonly string _table;
    private readonly string _lockName;
    private readonly string _upsertSql;
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
        _lockName = "ripcord.case_index:" + schema;
        _notify = options.Value.NotificationsEnabled;
        _upsertSql = $"""
            WITH up AS (
                INSERT INTO {_table} AS c (case_id, process, status, created_at, ended_at, had_hold, measures, version, change_seq)
                VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, nextval('{schema}.ripcord_case_change_seq'))
                ON CONFLICT (case_id) DO UPDATE SET
                    process = EXCLUDED.process, status = EXCLUDED.status, created_at = EXCLUDED.created_at,
                    ended_at = EXCLUDED.ended_at, had_hold = EXCLUDED.had_hold, measures = EXCLUDED.measures,
                    version = EXCLUDED.version, change_seq = EXCLUDED.change_seq
                WHERE c.version < EXCLUDED.version
                RETURNING c.change_seq)
            SELECT change_seq{(_notify ? ", pg_notify($9, change_seq::text)" : "")} FROM up
            """;
    }

    public async ValueTask UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.CaseId);
        ArgumentNullException.ThrowIfNull(entry.Process);

        // One round trip, one implicit transaction: the lock is held from the first statement to the commit.
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(hashtext($1))", Text(_lockName)));
        var upsert = Command(
            _upsertSql,
            Text(entry.CaseId),
            Text(entry.Process),
            Text(CaseStatusNames.NameOf(entry.Status)),
            Timestamp(entry.CreatedAt),
            Timestamp(entry.EndedAt),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = entry.HadHold },
            Text(JsonSerializer.Serialize(entry.Measures ?? CaseMeasures.Empty, RipcordJson.Options)),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = entry.Version });
        if (_notify)
        {
            upsert.Parameters.Add(Text(_notifications.IndexChannel));
        }

        batch.BatchCommands.Add(upsert);
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
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM {_table} WHERE change_seq > $1 ORDER BY change_seq LIMIT $2");
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
        await using var command = _dataSource.CreateCommand($"SELECT coalesce(max(change_seq), 0) FROM {_table}");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task WaitForChangeAsync(long afterChangeSequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Pulse.DeadlineOf(timeout, _timeProvider);
        await _notifications.WhenListeningAsync(cancellationToken).ConfigureAwait(false);
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
