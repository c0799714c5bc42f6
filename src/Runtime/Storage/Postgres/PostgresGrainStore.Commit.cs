using Npgsql;

namespace Ripcord.Runtime.Storage.Postgres;

public sealed partial class PostgresGrainStore
{
    public async ValueTask<long> CommitAsync(TurnCommit commit, CancellationToken cancellationToken)
    {
        ThrowIfFrozen();
        var grain = commit.Grain;
        EnsureOneCase(commit);
        var now = _time.GetUtcNow();
        var wakesBefore = Interlocked.Read(ref _wakeSequence);
        var caseId = Sql.Text(grain.CaseId);
        var type = Sql.Text(grain.Type);
        var key = Sql.Text(grain.Key);

        await using var batch = _dataSource.CreateBatch();
        var commands = batch.BatchCommands;

        // The fence goes first: when it raises, PostgreSQL skips the rest of the batch and rolls it all back.
        commands.Add(commit.StateChanged
            ? Sql.Command(_sql.FenceWithState, caseId, type, key, Sql.Long(commit.Epoch), Sql.Long(commit.ExpectedVersion),
                Sql.Text(commit.State is null ? null : _json.Write(commit.State)), Sql.Text(commit.State is null ? null : _json.TypeOf(commit.State)))
            : Sql.Command(_sql.Fence, caseId.Clone(), type.Clone(), key.Clone(), Sql.Long(commit.Epoch), Sql.Long(commit.ExpectedVersion)));

        if (commit.Handled.Count > 0)
        {
            commands.Add(Sql.Command(_sql.DeleteHandled, caseId.Clone(), type.Clone(), key.Clone(), Sql.Longs([.. commit.Handled])));
        }

        if (commit.Reminders.Count > 0)
        {
            AddReminderChanges(commands, commit, caseId, type, key);
        }

        if (commit.History.Count > 0)
        {
            AddHistory(commands, commit, caseId);
        }

        if (commit.Outgoing.Count > 0)
        {
            commands.Add(InsertMessages(grain.CaseId, commit.Outgoing, now));
        }

        List<GrainReply>? localReplies = null;
        List<Guid>? remoteReplies = null;
        if (commit.Replies.Count > 0)
        {
            AddReplies(commands, commit, caseId, ref localReplies, ref remoteReplies);
        }

        if (commit.Outbox.Count > 0)
        {
            AddOutbox(commands, commit, caseId, now);
        }

        if (commit.DeadLetters.Count > 0)
        {
            AddDeadLetters(commands, commit, caseId, type, key);
        }

        commands.Add(Sql.Command(_sql.MailboxHasMore, caseId.Clone(), type.Clone(), key.Clone()));
        var wakeUp = WakeUpFor(commit.Outgoing, remoteReplies);
        if (wakeUp is not null)
        {
            commands.Add(Notify(wakeUp));
        }

        long version = -1;
        var more = true;
        var messageIds = commit.Outgoing.Count > 0 ? new List<long>(commit.Outgoing.Count) : null;
        var outboxIds = commit.Outbox.Count > 0 ? new List<long>(commit.Outbox.Count) : null;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                if (reader.FieldCount == 0)
                {
                    continue;
                }

                var column = reader.GetName(0);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    switch (column)
                    {
                        case "fence":
                            version = reader.GetInt64(0);
                            break;
                        case "id":
                            messageIds!.Add(reader.GetInt64(0));
                            break;
                        case "outbox_id":
                            outboxIds!.Add(reader.GetInt64(0));
                            break;
                        case "more":
                            more = reader.GetBoolean(0);
                            break;
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (PostgresException e) when (e.SqlState == PostgresSchema.StaleSqlState)
        {
            _owned.TryRemove(new KeyValuePair<GrainId, long>(grain, commit.Epoch));
            throw new StaleEpochException(grain, commit.Epoch, await DescribeStaleAsync(commit).ConfigureAwait(false));
        }

        if (!more && (!_wakes.TryGetValue(grain, out var woken) || woken <= wakesBefore))
        {
            _drained[grain] = commit.Epoch;
        }

        if (messageIds is not null)
        {
            AssignIds(commit.Outgoing, messageIds, now);
        }

        if (outboxIds is not null)
        {
            outboxIds.Sort();
            for (var i = 0; i < commit.Outbox.Count; i++)
            {
                commit.Outbox[i].Id = outboxIds[i];
                _outboxCases[outboxIds[i]] = grain.CaseId;
            }
        }

        Announce(commit, localReplies);
        return version;
    }

    /// <summary>Tells this silo's runtime what the commit made durable, as the in-memory store does.</summary>
    private void Announce(TurnCommit commit, List<GrainReply>? localReplies)
    {
        var listener = _listener;
        if (listener is null)
        {
            return;
        }

        SignalLocally(commit.Outgoing);
        if (localReplies is not null)
        {
            foreach (var reply in localReplies)
            {
                if (_pendingAsks.TryRemove(reply.CorrelationId, out _))
                {
                    listener.OnReply(reply);
                }
            }
        }

        if (commit.Outbox.Count > 0)
        {
            listener.OnOutbox(commit.Outbox.ToArray());
        }

        foreach (var change in commit.Reminders)
        {
            if (!change.IsClear)
            {
                listener.OnReminderScheduled(change.DueAt);
            }
        }
    }

    /// <summary>A turn writes to its own case only: that is what keeps every transaction on one partition.</summary>
    private static void EnsureOneCase(TurnCommit commit)
    {
        var caseId = commit.Grain.CaseId;
        foreach (var message in commit.Outgoing)
        {
            if (!string.Equals(message.Target.CaseId, caseId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{commit.Grain} (case {caseId}) sent to {message.Target} of case {message.Target.CaseId}; a turn may only write to its own case.");
            }
        }

        foreach (var entry in commit.History)
        {
            if (!string.Equals(entry.CaseId, caseId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{commit.Grain} (case {caseId}) appended history to case {entry.CaseId}; a turn may only write to its own case.");
            }
        }

        foreach (var letter in commit.DeadLetters)
        {
            if (letter.Grain != commit.Grain)
            {
                throw new InvalidOperationException($"{commit.Grain} dead-lettered a message of {letter.Grain}.");
            }
        }

        foreach (var item in commit.Outbox)
        {
            if (!string.Equals(item.Source.CaseId, caseId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{commit.Grain} (case {caseId}) published an outbox item for case {item.Source.CaseId}.");
            }
        }
    }

    private void AddReminderChanges(NpgsqlBatchCommandCollection commands, TurnCommit commit, NpgsqlParameter caseId, NpgsqlParameter type, NpgsqlParameter key)
    {
        // Only the last change of each name counts, as if the changes had been applied one after the other.
        var last = new Dictionary<string, ReminderChange>(StringComparer.Ordinal);
        foreach (var change in commit.Reminders)
        {
            last[change.Name] = change;
        }

        var setNames = new List<string?>();
        var setDue = new List<DateTime>();
        var setBodies = new List<string?>();
        var setTypes = new List<string?>();
        var clearNames = new List<string?>();
        foreach (var change in last.Values)
        {
            if (change.IsClear)
            {
                clearNames.Add(change.Name);
            }
            else
            {
                setNames.Add(change.Name);
                setDue.Add(change.DueAt.UtcDateTime);
                setBodies.Add(_json.Write(change.Message!));
                setTypes.Add(_json.TypeOf(change.Message!));
            }
        }

        if (setNames.Count > 0)
        {
            commands.Add(Sql.Command(_sql.SetReminders, caseId.Clone(), type.Clone(), key.Clone(),
                Sql.Texts([.. setNames]), Sql.Times([.. setDue]), Sql.Texts([.. setBodies]), Sql.Texts([.. setTypes])));
        }

        if (clearNames.Count > 0)
        {
            commands.Add(Sql.Command(_sql.ClearReminders, caseId.Clone(), type.Clone(), key.Clone(), Sql.Texts([.. clearNames])));
        }

        commands.Add(Sql.Command(_sql.PurgeReminderMessages, caseId.Clone(), type.Clone(), key.Clone(), Sql.Texts([.. last.Keys])));
    }

    private void AddHistory(NpgsqlBatchCommandCollection commands, TurnCommit commit, NpgsqlParameter caseId)
    {
        var count = commit.History.Count;
        var at = new DateTime[count];
        var types = new string?[count];
        var actors = new string?[count];
        var reasons = new string?[count];
        var tasks = new string?[count];
        var details = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var entry = commit.History[i];
            at[i] = entry.At.UtcDateTime;
            types[i] = entry.Type;
            actors[i] = entry.Actor;
            reasons[i] = entry.Reason;
            tasks[i] = entry.TaskId;
            details[i] = entry.Detail?.GetRawText();
        }

        commands.Add(Sql.Command(_sql.AppendHistory, caseId.Clone(), Sql.Long(count),
            Sql.Times(at), Sql.Texts(types), Sql.Texts(actors), Sql.Texts(reasons), Sql.Texts(tasks), Sql.Texts(details)));
    }

    private void AddReplies(NpgsqlBatchCommandCollection commands, TurnCommit commit, NpgsqlParameter caseId, ref List<GrainReply>? local, ref List<Guid>? remote)
    {
        List<Guid>? ids = null;
        List<string?>? values = null;
        List<string?>? types = null;
        foreach (var reply in commit.Replies)
        {
            // A caller waiting in this process gets the reply in memory (after the commit); only callers
            // elsewhere need the row.
            if (_pendingAsks.ContainsKey(reply.CorrelationId))
            {
                (local ??= []).Add(reply);
                continue;
            }

            (ids ??= []).Add(reply.CorrelationId);
            (values ??= []).Add(_json.Write(reply.Value));
            (types ??= []).Add(_json.TypeOf(reply.Value));
        }

        if (ids is not null)
        {
            remote = ids;
            commands.Add(Sql.Command(_sql.InsertReplies, caseId.Clone(), Sql.Uuids([.. ids]), Sql.Texts([.. values!]), Sql.Texts([.. types!])));
        }
    }

    private void AddOutbox(NpgsqlBatchCommandCollection commands, TurnCommit commit, NpgsqlParameter caseId, DateTimeOffset now)
    {
        var count = commit.Outbox.Count;
        var topics = new string?[count];
        var sourceTypes = new string?[count];
        var sourceKeys = new string?[count];
        var payloads = new string?[count];
        var payloadTypes = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var item = commit.Outbox[i];
            topics[i] = item.Topic;
            sourceTypes[i] = item.Source.Type;
            sourceKeys[i] = item.Source.Key;
            payloads[i] = _json.Write(item.Payload);
            payloadTypes[i] = _json.TypeOf(item.Payload);
        }

        commands.Add(Sql.Command(_sql.InsertOutbox, caseId.Clone(), Sql.Text(_siloId), Sql.Time(now),
            Sql.Texts(topics), Sql.Texts(sourceTypes), Sql.Texts(sourceKeys), Sql.Texts(payloads), Sql.Texts(payloadTypes)));
    }

    private void AddDeadLetters(NpgsqlBatchCommandCollection commands, TurnCommit commit, NpgsqlParameter caseId, NpgsqlParameter type, NpgsqlParameter key)
    {
        var count = commit.DeadLetters.Count;
        var messageIds = new long[count];
        var bodies = new string?[count];
        var bodyTypes = new string?[count];
        var errors = new string?[count];
        var attempts = new int[count];
        var at = new DateTime[count];
        for (var i = 0; i < count; i++)
        {
            var letter = commit.DeadLetters[i];
            messageIds[i] = letter.MessageId;
            bodies[i] = _json.Write(letter.Body);
            bodyTypes[i] = _json.TypeOf(letter.Body);
            errors[i] = letter.Error;
            attempts[i] = letter.Attempts;
            at[i] = letter.At.UtcDateTime;
        }

        commands.Add(Sql.Command(_sql.InsertDeadLetters, caseId.Clone(), type.Clone(), key.Clone(),
            Sql.Longs(messageIds), Sql.Texts(bodies), Sql.Texts(bodyTypes), Sql.Texts(errors), Sql.Ints(attempts), Sql.Times(at)));
    }

    private async Task<string> DescribeStaleAsync(TurnCommit commit)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(
                $"SELECT epoch, version, owner FROM {_s}.grains WHERE case_id = $1 AND grain_type = $2 AND grain_key = $3");
            command.Parameters.Add(Sql.Text(commit.Grain.CaseId));
            command.Parameters.Add(Sql.Text(commit.Grain.Type));
            command.Parameters.Add(Sql.Text(commit.Grain.Key));
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                return "the grain has no row";
            }

            return reader.GetInt64(0) != commit.Epoch
                ? $"current epoch is {reader.GetInt64(0)} (owner {Sql.NullableString(reader, 2) ?? "none"})"
                : $"version {commit.ExpectedVersion} expected, {reader.GetInt64(1)} stored";
        }
        catch (NpgsqlException)
        {
            return "epoch or version moved on";
        }
    }
}
