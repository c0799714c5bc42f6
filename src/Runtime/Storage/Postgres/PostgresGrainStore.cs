using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Ripcord.Contracts;

namespace Ripcord.Runtime.Storage.Postgres;

/// <summary>
/// The durable, shared store: every silo of a cluster points at the same database (and schema). State, mailboxes,
/// reminders, history, dead letters, outbox and replies are tables keyed by case id; a turn commits in one
/// transaction, sent as one batch, fenced by the grain's epoch. Leases are rows (a grain's owner and epoch; the
/// owner's heartbeat in <c>silos</c>), wake-ups are one NOTIFY per commit with polling behind it.
/// See docs/operations.md for what it guarantees.
/// </summary>
public sealed partial class PostgresGrainStore : IGrainStore
{
    private const int EnqueueParallelism = 8;

    private readonly PostgresStoreOptions _options;
    private readonly string _siloId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StoredJson _json;
    private readonly string _s;
    private readonly string _channel;
    private readonly string _busChannel;
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listenSource;
    private readonly Statements _sql;

    // Grains whose lease this silo holds, with the epoch: messages to them need no NOTIFY.
    private readonly ConcurrentDictionary<GrainId, long> _owned = new();

    // Grains another live silo refused us, until a timestamp: local wake-ups for them are skipped.
    private readonly ConcurrentDictionary<GrainId, long> _heldElsewhere = new();

    // Asks sent from this silo that still wait for a reply: correlation id -> case id and when sent.
    private readonly ConcurrentDictionary<Guid, PendingAsk> _pendingAsks = new();

    // Outbox items this silo carries out: id -> case id, so completing one touches only its case.
    private readonly ConcurrentDictionary<long, string> _outboxCases = new();

    // Grains whose mailbox the last commit (at this epoch) left empty: the runtime's next read is answered without a
    // round trip, unless a wake-up for the grain came since (which removes the entry).
    private readonly ConcurrentDictionary<GrainId, long> _drained = new();

    // When each grain was last woken (a global sequence), so a commit does not mark drained a grain woken meanwhile.
    private readonly ConcurrentDictionary<GrainId, long> _wakes = new();
    private long _wakeSequence;

    private CancellationTokenSource _stopping = new();
    private IStoreListener? _listener;
    private Task _heartbeatLoop = Task.CompletedTask;
    private Task _listenLoop = Task.CompletedTask;
    private int _state; // 0 new, 1 started, 2 stopped
    private volatile bool _heartbeatsSuspended;
    private volatile bool _frozen;

    public PostgresGrainStore(PostgresStoreOptions options, string siloId, TimeProvider? time = null, ILogger<PostgresGrainStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(siloId);
        options.Validate();
        _options = options;
        _siloId = siloId;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _json = new StoredJson(new StoredTypeNames(), options.SerializerOptions ?? StoredJson.DefaultOptions());
        _s = options.SchemaName;
        _channel = options.SchemaName + "_wake";
        _busChannel = options.SchemaName + "_bus";
        _sql = new Statements(_s);

        var explicitPrepare = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        if (!explicitPrepare.ContainsKey("Max Auto Prepare") && !explicitPrepare.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = options.MaxAutoPrepare;
        }

        builder.ConnectionStringBuilder.ApplicationName ??= "ripcord " + siloId;
        _dataSource = builder.Build();

        // LISTEN needs its own session for as long as the silo lives: never pooled, kept alive so a dead peer is noticed.
        var listen = new NpgsqlDataSourceBuilder(options.ConnectionString);
        listen.ConnectionStringBuilder.Pooling = false;
        listen.ConnectionStringBuilder.ApplicationName = "ripcord listen " + siloId;
        if (listen.ConnectionStringBuilder.KeepAlive == 0)
        {
            listen.ConnectionStringBuilder.KeepAlive = 15;
        }

        _listenSource = listen.Build();
    }

    public bool IsShared => true;

    public string SiloId => _siloId;

    /// <summary>The names states and messages are stored under; register aliases here before starting.</summary>
    public StoredTypeNames TypeNames => _json.Names;

    /// <summary>The data source the store uses (for diagnostics and the cluster view).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    public async ValueTask StartAsync(IStoreListener listener, CancellationToken cancellationToken)
    {
        // A stopped store may start again (a new runtime on the same store), as the in-memory store can.
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0 && Interlocked.CompareExchange(ref _state, 1, 2) != 2)
        {
            throw new InvalidOperationException("The store is already started.");
        }

        if (_stopping.IsCancellationRequested)
        {
            _stopping.Dispose();
            _stopping = new CancellationTokenSource();
        }

        var applied = await PostgresSchema.MigrateAsync(_dataSource, _s, cancellationToken).ConfigureAwait(false);
        if (applied > 0)
        {
            LogSchemaMigrated(_s, PostgresSchema.CurrentVersion, applied);
        }

        await RegisterSiloAsync(cancellationToken).ConfigureAwait(false);
        _listener = listener;
        _heartbeatLoop = Task.Run(() => HeartbeatLoopAsync(_stopping.Token), CancellationToken.None);
        if (_options.NotificationsEnabled)
        {
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _listenLoop = Task.Run(() => ListenLoopAsync(listening, _stopping.Token), CancellationToken.None);
            await listening.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        LogSiloRegistered(_siloId, _s);
    }

    public async ValueTask StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }

        _listener = null;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_heartbeatLoop, _listenLoop).ConfigureAwait(false);

        // Marking the silo stopped frees every lease it still holds at once; the notification makes other silos
        // look for the work it left instead of waiting for their next poll.
        var wakeUp = new WakeUp(_siloId) { Stopped = _siloId };
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(Sql.Command($"UPDATE {_s}.silos SET stopped_at = now() WHERE silo_id = $1", Sql.Text(_siloId)));
        if (_options.NotificationsEnabled)
        {
            batch.BatchCommands.Add(Sql.Command("SELECT pg_notify($1, $2)", Sql.Text(_channel), Sql.Text(wakeUp.Encode())));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _owned.Clear();
        _pendingAsks.Clear();
        LogSiloLeft(_siloId);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The database is gone: the silo row simply expires.
        }

        _stopping.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _listenSource.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask EnqueueAsync(IReadOnlyList<Envelope> messages, CancellationToken cancellationToken)
    {
        ThrowIfFrozen();
        if (messages.Count == 0)
        {
            return;
        }

        var caseId = messages[0].Target.CaseId;
        var oneCase = true;
        for (var i = 1; i < messages.Count && oneCase; i++)
        {
            oneCase = string.Equals(messages[i].Target.CaseId, caseId, StringComparison.Ordinal);
        }

        if (oneCase)
        {
            await EnqueueCaseAsync(caseId, messages, cancellationToken).ConfigureAwait(false);
            return;
        }

        // One transaction per case, several at once so their commits share WAL flushes; each case keeps its
        // messages' order, and the call returns when all are durable.
        var groups = messages.GroupBy(m => m.Target.CaseId, StringComparer.Ordinal).Select(g => (g.Key, (IReadOnlyList<Envelope>)g.ToList()));
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = EnqueueParallelism, CancellationToken = cancellationToken },
            async (group, token) => await EnqueueCaseAsync(group.Key, group.Item2, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async ValueTask EnqueueCaseAsync(string caseId, IReadOnlyList<Envelope> messages, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var message in messages)
        {
            if (message.CorrelationId is { } correlation)
            {
                _pendingAsks[correlation] = new PendingAsk(caseId, Environment.TickCount64);
            }
        }

        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(InsertMessages(caseId, messages, now));
        var wakeUp = WakeUpFor(messages, replies: null);
        if (wakeUp is not null)
        {
            batch.BatchCommands.Add(Notify(wakeUp));
        }

        var ids = new List<long>(messages.Count);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        AssignIds(messages, ids, now);
        SignalLocally(messages);
    }

    public async ValueTask<GrainSnapshot?> ActivateAsync(GrainId grain, CancellationToken cancellationToken)
    {
        ThrowIfFrozen();
        _drained.TryRemove(grain, out _);
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(Sql.Command(_sql.Claim, Sql.Text(grain.CaseId), Sql.Text(grain.Type), Sql.Text(grain.Key), Sql.Text(_siloId)));
        batch.BatchCommands.Add(Sql.Command(_sql.CreateGrain, Sql.Text(grain.CaseId), Sql.Text(grain.Type), Sql.Text(grain.Key), Sql.Text(_siloId)));
        GrainSnapshot? snapshot = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            do
            {
                if (snapshot is null && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var stateJson = Sql.NullableString(reader, 0);
                    var stateType = Sql.NullableString(reader, 1);
                    var state = stateJson is null || stateType is null ? null : _json.Read(stateJson, stateType);
                    snapshot = new GrainSnapshot(state, reader.GetInt64(2), reader.GetInt64(3));
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        if (snapshot is null)
        {
            _owned.TryRemove(grain, out _);
            _heldElsewhere[grain] = Environment.TickCount64 + (long)_options.LeaseDuration.TotalMilliseconds;
            return null;
        }

        _heldElsewhere.TryRemove(grain, out _);
        _owned[grain] = snapshot.Epoch;
        return snapshot;
    }

    public async ValueTask DeactivateAsync(GrainId grain, long epoch, CancellationToken cancellationToken)
    {
        if (_frozen)
        {
            return;
        }

        _owned.TryRemove(new KeyValuePair<GrainId, long>(grain, epoch));
        _drained.TryRemove(grain, out _);
        await using var command = _dataSource.CreateCommand(
            $"UPDATE {_s}.grains SET owner = NULL, leased_at = NULL WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3 AND epoch = $4 AND owner = $5");
        command.Parameters.Add(Sql.Text(grain.CaseId));
        command.Parameters.Add(Sql.Text(grain.Type));
        command.Parameters.Add(Sql.Text(grain.Key));
        command.Parameters.Add(Sql.Long(epoch));
        command.Parameters.Add(Sql.Text(_siloId));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> ReadMailboxAsync(GrainId grain, long epoch, List<Envelope> into, int max, CancellationToken cancellationToken)
    {
        ThrowIfFrozen();
        if (_drained.TryRemove(new KeyValuePair<GrainId, long>(grain, epoch)))
        {
            return 0;
        }

        await using var command = _dataSource.CreateCommand(_sql.ReadMailbox);
        command.Parameters.Add(Sql.Text(grain.CaseId));
        command.Parameters.Add(Sql.Text(grain.Type));
        command.Parameters.Add(Sql.Text(grain.Key));
        command.Parameters.Add(Sql.Long(epoch));
        command.Parameters.Add(Sql.Int(max));
        var rows = 0;
        var count = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows++;
                if (reader.IsDBNull(0))
                {
                    continue;
                }

                GrainId? sender = reader.IsDBNull(4) ? null : new GrainId(reader.GetString(4), reader.GetString(5), reader.GetString(3));
                Guid? correlation = reader.IsDBNull(6) ? null : reader.GetGuid(6);
                var body = _json.Read(reader.GetString(1), reader.GetString(2));
                into.Add(new Envelope(grain, body, sender, correlation, Sql.NullableString(reader, 7))
                {
                    Id = reader.GetInt64(0),
                    EnqueuedAt = reader.GetFieldValue<DateTimeOffset>(8),
                });
                count++;
            }
        }

        if (rows == 0)
        {
            // No grain row with this epoch: another activation (here or on another silo) has taken the grain.
            _owned.TryRemove(new KeyValuePair<GrainId, long>(grain, epoch));
            throw new StaleEpochException(grain, epoch, "the lease moved to a newer epoch");
        }

        return count;
    }

    public async ValueTask<IReadOnlyList<GrainId>> FindGrainsWithMessagesAsync(int max, CancellationToken cancellationToken)
    {
        ThrowIfFrozen();
        var found = new List<GrainId>();
        await using (var command = _dataSource.CreateCommand(_sql.FindWork))
        {
            command.Parameters.Add(Sql.Text(_siloId));
            command.Parameters.Add(Sql.Int(max));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var grain = new GrainId(reader.GetString(1), reader.GetString(2), reader.GetString(0));
                NoteWake(grain);
                found.Add(grain);
            }
        }

        // Polling is also the fallback for replies whose notification was lost.
        if (!_pendingAsks.IsEmpty)
        {
            await CollectRepliesAsync(null, cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    public async ValueTask CompleteOutboxAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        foreach (var group in ids.GroupBy(id => _outboxCases.TryGetValue(id, out var caseId) ? caseId : null))
        {
            var batchIds = group.ToArray();
            await using var command = group.Key is null
                ? _dataSource.CreateCommand($"DELETE FROM {_s}.outbox WHERE id = ANY($1)")
                : _dataSource.CreateCommand($"DELETE FROM {_s}.outbox WHERE case_id = $2 AND id = ANY($1)");
            command.Parameters.Add(Sql.Longs(batchIds));
            if (group.Key is not null)
            {
                command.Parameters.Add(Sql.Text(group.Key));
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in batchIds)
            {
                _outboxCases.TryRemove(id, out _);
            }
        }
    }

    public async ValueTask<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string caseId, long afterSequence, int max, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT sequence, at, type, actor, reason, task_id, detail::text FROM {_s}.history WHERE case_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3");
        command.Parameters.Add(Sql.Text(caseId));
        command.Parameters.Add(Sql.Long(afterSequence));
        command.Parameters.Add(Sql.Int(max));
        var events = new List<HistoryEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new HistoryEvent
            {
                Sequence = reader.GetInt64(0),
                At = reader.GetFieldValue<DateTimeOffset>(1),
                CaseId = caseId,
                Type = reader.GetString(2),
                Actor = reader.GetString(3),
                Reason = Sql.NullableString(reader, 4),
                TaskId = Sql.NullableString(reader, 5),
                Detail = reader.IsDBNull(6) ? null : JsonSerializer.Deserialize<JsonElement>(reader.GetString(6)),
            });
        }

        return events;
    }

    public async ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT case_id, grain_type, grain_key, message_id, body::text, body_type, error, attempts, at
            FROM (SELECT * FROM {_s}.dead_letters ORDER BY id DESC LIMIT $1) d ORDER BY id
            """);
        command.Parameters.Add(Sql.Int(max));
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var grain = new GrainId(reader.GetString(1), reader.GetString(2), reader.GetString(0));
            letters.Add(new DeadLetter(grain, reader.GetInt64(3), ReadLenient(reader.GetString(4), reader.GetString(5)), reader.GetString(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return letters;
    }

    public async ValueTask<GrainSnapshot?> ReadStateAsync(GrainId grain, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT state::text, state_type, version, epoch FROM {_s}.grains WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3 AND version > 0");
        command.Parameters.Add(Sql.Text(grain.CaseId));
        command.Parameters.Add(Sql.Text(grain.Type));
        command.Parameters.Add(Sql.Text(grain.Key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var state = reader.IsDBNull(0) || reader.IsDBNull(1) ? null : _json.Read(reader.GetString(0), reader.GetString(1));
        return new GrainSnapshot(state, reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Messages waiting in a grain's mailbox (for diagnostics and the cluster view).</summary>
    public async ValueTask<long> MailboxDepthAsync(GrainId grain, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT count(*) FROM {_s}.mailbox WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3");
        command.Parameters.Add(Sql.Text(grain.CaseId));
        command.Parameters.Add(Sql.Text(grain.Type));
        command.Parameters.Add(Sql.Text(grain.Key));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private NpgsqlBatchCommand InsertMessages(string caseId, IReadOnlyList<Envelope> messages, DateTimeOffset now)
    {
        var count = messages.Count;
        var types = new string?[count];
        var keys = new string?[count];
        var bodies = new string?[count];
        var bodyTypes = new string?[count];
        var senderCases = new string?[count];
        var senderTypes = new string?[count];
        var senderKeys = new string?[count];
        var correlations = new string?[count];
        var reminders = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var message = messages[i];
            types[i] = message.Target.Type;
            keys[i] = message.Target.Key;
            bodies[i] = _json.Write(message.Body);
            bodyTypes[i] = _json.TypeOf(message.Body);
            if (message.Sender is { } sender)
            {
                senderCases[i] = sender.CaseId;
                senderTypes[i] = sender.Type;
                senderKeys[i] = sender.Key;
            }

            correlations[i] = message.CorrelationId?.ToString();
            reminders[i] = message.ReminderName;
        }

        return Sql.Command(
            _sql.InsertMessages,
            Sql.Text(caseId),
            Sql.Time(now),
            Sql.Texts(types),
            Sql.Texts(keys),
            Sql.Texts(bodies),
            Sql.Texts(bodyTypes),
            Sql.Texts(senderCases),
            Sql.Texts(senderTypes),
            Sql.Texts(senderKeys),
            Sql.Texts(correlations),
            Sql.Texts(reminders));
    }

    private static void AssignIds(IReadOnlyList<Envelope> messages, List<long> ids, DateTimeOffset now)
    {
        if (ids.Count != messages.Count)
        {
            throw new InvalidOperationException($"{messages.Count} messages inserted but {ids.Count} ids returned.");
        }

        // Identity values follow the insert's ORDER BY, so ascending ids map to the messages in order.
        ids.Sort();
        for (var i = 0; i < messages.Count; i++)
        {
            messages[i].Id = ids[i];
            messages[i].EnqueuedAt = now;
        }
    }

    private NpgsqlBatchCommand Notify(WakeUp wakeUp) => Sql.Command("SELECT pg_notify($1, $2)", Sql.Text(_channel), Sql.Text(wakeUp.Encode()));

    /// <summary>The notification other silos need, or null when every target lives here and no caller waits elsewhere.</summary>
    private WakeUp? WakeUpFor(IReadOnlyList<Envelope> messages, List<Guid>? replies)
    {
        if (!_options.NotificationsEnabled)
        {
            return null;
        }

        WakeUp? wakeUp = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var target = messages[i].Target;
            if (_owned.ContainsKey(target))
            {
                continue;
            }

            wakeUp ??= new WakeUp(_siloId);
            if (!wakeUp.Grains.Contains(target))
            {
                wakeUp.Grains.Add(target);
            }
        }

        if (replies is { Count: > 0 })
        {
            wakeUp ??= new WakeUp(_siloId);
            wakeUp.Replies.AddRange(replies);
        }

        return wakeUp;
    }

    private void SignalLocally(IReadOnlyList<Envelope> messages)
    {
        var listener = _listener;
        if (listener is null)
        {
            return;
        }

        GrainId? previous = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var target = messages[i].Target;
            if (previous == target)
            {
                continue;
            }

            previous = target;
            NoteWake(target);
            if (MayRunHere(target))
            {
                listener.OnMessagesAvailable(target);
            }
        }
    }

    /// <summary>Records that a grain may have new messages, so no stale "drained" mark hides them.</summary>
    private void NoteWake(GrainId grain)
    {
        _wakes[grain] = Interlocked.Increment(ref _wakeSequence);
        _drained.TryRemove(grain, out _);
    }

    /// <summary>False while another live silo is known to hold the grain: waking it here would only be refused.</summary>
    private bool MayRunHere(GrainId grain)
    {
        if (!_heldElsewhere.TryGetValue(grain, out var until))
        {
            return true;
        }

        if (until > Environment.TickCount64)
        {
            return false;
        }

        _heldElsewhere.TryRemove(new KeyValuePair<GrainId, long>(grain, until));
        return true;
    }

    private object ReadLenient(string json, string typeName)
    {
        try
        {
            return _json.Read(json, typeName);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or NotSupportedException)
        {
            // A dead letter must stay readable even when its type is gone or no longer matches its JSON.
            return JsonSerializer.Deserialize<JsonElement>(json);
        }
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException($"Store of silo {_siloId} is frozen (test hook).");
        }
    }

    /// <summary>True while this silo holds the grain's lease (as far as it knows).</summary>
    public bool OwnsForDiagnostics(GrainId grain) => _owned.ContainsKey(grain);

    /// <summary>Test hook: stops heartbeats only; the silo keeps working until its leases are taken.</summary>
    internal void SuspendHeartbeats() => _heartbeatsSuspended = true;

    internal void ResumeHeartbeats() => _heartbeatsSuspended = false;

    /// <summary>Test hook: the silo looks dead: no heartbeats, no notifications handled, every store call fails.</summary>
    internal void Freeze()
    {
        _frozen = true;
        _heartbeatsSuspended = true;
    }

    internal void Thaw()
    {
        _frozen = false;
        _heartbeatsSuspended = false;
    }

    private readonly record struct PendingAsk(string CaseId, long SentAt);
}
