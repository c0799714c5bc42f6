using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Ripcord.Contracts;
using Ripcord.Grains.Storage.InMemory;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// Case histories in <c>ripcord_history</c>, shared by every silo of the cluster.
/// </summary>
/// <remarks>
/// An append locks its case's row in <c>ripcord_history_counter</c> first and then, in a statement of its own (so
/// it sees what the previous holder of the lock committed), drops events whose ids are stored, numbers the rest
/// from the counter and moves the counter. Appends to one case are thereby serialized and their sequences gap free
/// in commit order; appends to different cases never wait for each other. The append is announced with NOTIFY once
/// it committed, in the same round trip (best effort: a wait also reads the counter). A redaction takes the same lock, so an append either came before it (and is redacted by
/// it) or after (and is redacted as it is inserted, by the mark the redaction left on the counter row).
/// </remarks>
public sealed partial class PostgresCaseHistory : ICaseHistory
{
    // NOTIFY payloads are capped under 8000 bytes; a longer case id is announced as "some case" instead.
    private const int MaxCaseIdBytesInPayload = 7000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresNotifications _notifications;
    private readonly TimeProvider _timeProvider;
    private readonly bool _notify;
    private readonly string _counterSql;
    private readonly string _lockSql;
    private readonly string _appendSql;
    private readonly string _announceSql;
    private readonly string _readSql;
    private readonly string _lastSql;
    private readonly string _markRedactedSql;
    private readonly string _redactSql;
    private readonly ConcurrentDictionary<string, AppendLane> _lanes = new(StringComparer.Ordinal);

    /// <param name="dataSource">The store's pool.</param>
    /// <param name="notifications">This process's LISTEN connection, shared with the case index.</param>
    /// <param name="options">The schema is taken from these.</param>
    /// <param name="timeProvider">The clock wait timeouts are measured on (a fake one in tests).</param>
    public PostgresCaseHistory(NpgsqlDataSource dataSource, PostgresNotifications notifications, IOptions<PostgresStoreOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(options);
        var s = options.Value.SchemaName;
        PostgresSchema.ThrowIfInvalidName(s);
        _dataSource = dataSource;
        _notifications = notifications;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _notify = options.Value.NotificationsEnabled;
        _counterSql = $"INSERT INTO {s}.ripcord_history_counter (case_id, last_sequence) VALUES ($1, 0) ON CONFLICT (case_id) DO NOTHING";
        _lockSql = $"SELECT last_sequence FROM {s}.ripcord_history_counter WHERE case_id = $1 FOR UPDATE";
        _appendSql = $"""
            WITH incoming AS (
                SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                    WITH ORDINALITY AS e(event_id, at, type, actor, reason, task_id, detail, ord)),
            fresh AS (
                SELECT DISTINCT ON (i.event_id) i.*
                FROM incoming AS i
                WHERE NOT EXISTS (SELECT 1 FROM {s}.ripcord_history AS h WHERE h.case_id = $1 AND h.event_id = i.event_id)
                ORDER BY i.event_id, i.ord),
            numbered AS (
                SELECT f.*, c.last_sequence + row_number() OVER (ORDER BY f.ord) AS sequence, c.redacted_keep_snapshots AS keep_snapshots
                FROM fresh AS f CROSS JOIN {s}.ripcord_history_counter AS c
                WHERE c.case_id = $1),
            inserted AS (
                INSERT INTO {s}.ripcord_history (case_id, sequence, event_id, at, type, actor, reason, task_id, detail)
                SELECT $1, sequence, event_id, at, type, actor, reason, task_id,
                    CASE WHEN keep_snapshots IS NULL THEN detail::jsonb ELSE {s}.ripcord_redact(detail::jsonb, keep_snapshots) END
                FROM numbered
                RETURNING sequence),
            counted AS (
                UPDATE {s}.ripcord_history_counter
                SET last_sequence = last_sequence + (SELECT count(*) FROM inserted)
                WHERE case_id = $1 AND EXISTS (SELECT 1 FROM inserted)
                RETURNING last_sequence)
            SELECT last_sequence FROM counted
            """;
        _announceSql = $"SELECT pg_notify($1, CASE WHEN octet_length($2) <= {MaxCaseIdBytesInPayload} THEN last_sequence::text || ':' || $2 ELSE '*' END) FROM {s}.ripcord_history_counter WHERE case_id = $2";
        _readSql = $"""
            SELECT sequence, at, type, actor, reason, task_id, detail::text
            FROM {s}.ripcord_history
            WHERE case_id = $1 AND sequence > $2
            ORDER BY sequence
            LIMIT $3
            """;
        _lastSql = $"SELECT coalesce((SELECT last_sequence FROM {s}.ripcord_history_counter WHERE case_id = $1), 0)";
        _markRedactedSql = $"""
            INSERT INTO {s}.ripcord_history_counter (case_id, last_sequence, redacted_keep_snapshots) VALUES ($1, 0, $2)
            ON CONFLICT (case_id) DO UPDATE SET redacted_keep_snapshots = EXCLUDED.redacted_keep_snapshots
            """;
        _redactSql = $"""
            UPDATE {s}.ripcord_history SET detail = {s}.ripcord_redact(detail, $2)
            WHERE case_id = $1 AND detail IS NOT NULL AND detail IS DISTINCT FROM {s}.ripcord_redact(detail, $2)
            """;
    }

    public async ValueTask RedactAsync(string caseId, bool keepSnapshots, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseId);

        // One round trip, one implicit transaction: the mark locks the counter row (appends wait), and the update,
        // a statement of its own, sees every append committed before it.
        await using var command = _dataSource.CreateBatch();
        command.BatchCommands.Add(Command(_markRedactedSql, Text(caseId), Boolean(keepSnapshots)));
        command.BatchCommands.Add(Command(_redactSql, Text(caseId), Boolean(keepSnapshots)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<HistoryEvent>> ReadAsync(string caseId, long afterSequence, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var command = _dataSource.CreateCommand(_readSql);
        command.Parameters.Add(Text(caseId));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = max });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<HistoryEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new HistoryEvent
            {
                CaseId = caseId,
                Sequence = reader.GetInt64(0),
                At = reader.GetFieldValue<DateTimeOffset>(1),
                Type = reader.GetString(2),
                Actor = reader.GetString(3),
                Reason = reader.IsDBNull(4) ? null : reader.GetString(4),
                TaskId = reader.IsDBNull(5) ? null : reader.GetString(5),
                Detail = reader.IsDBNull(6) ? null : ParseDetail(reader.GetString(6)),
            });
        }

        return events;
    }

    public async Task WaitForAppendAsync(string caseId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        var deadline = Pulse.DeadlineOf(timeout, _timeProvider);
        await _notifications.WhenListeningAsync(cancellationToken).ConfigureAwait(false);
        using var lease = _notifications.Subscribe(caseId);
        await lease.Signal.WaitAsync(
            afterSequence,
            ct => LastSequenceAsync(caseId, ct),
            deadline,
            _timeProvider,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> LastSequenceAsync(string caseId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(_lastSql);
        command.Parameters.Add(Text(caseId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static JsonElement ParseDetail(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value };

    private static NpgsqlParameter Boolean(bool value) => new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = value };

    private static NpgsqlParameter TextArray(string?[] values) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values };
}
