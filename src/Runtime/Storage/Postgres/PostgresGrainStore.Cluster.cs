using Npgsql;

namespace Ripcord.Runtime.Storage.Postgres;

public sealed partial class PostgresGrainStore
{
    private int _sweeping;

    private async Task RegisterSiloAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO {_s}.silos (silo_id, started_at, heartbeat_at, expires_at) VALUES ($1, now(), now(), now() + $2)
            ON CONFLICT (silo_id) DO UPDATE SET started_at = now(), heartbeat_at = now(), expires_at = now() + $2, stopped_at = NULL
            """);
        command.Parameters.Add(Sql.Text(_siloId));
        command.Parameters.Add(Sql.Interval(_options.LeaseDuration));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Renews this silo's row (and so every lease it holds) and does housekeeping. Runs on the system clock: leases
    /// are judged by the database's clock, whatever time the runtime is given.
    /// </summary>
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, TimeProvider.System);
        var lastMaintenance = Environment.TickCount64;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_heartbeatsSuspended)
                {
                    continue;
                }

                try
                {
                    await using (var command = _dataSource.CreateCommand(
                        $"UPDATE {_s}.silos SET heartbeat_at = now(), expires_at = now() + $2 WHERE silo_id = $1 AND stopped_at IS NULL"))
                    {
                        command.Parameters.Add(Sql.Text(_siloId));
                        command.Parameters.Add(Sql.Interval(_options.LeaseDuration));
                        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                        {
                            await RegisterSiloAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    if (Environment.TickCount64 - lastMaintenance >= (long)_options.MaintenanceInterval.TotalMilliseconds)
                    {
                        lastMaintenance = Environment.TickCount64;
                        await MaintainAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever failed, keep beating: a silo that stops renewing loses its grains.
                    LogHeartbeatFailed(e, _siloId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var cutoff = Environment.TickCount64 - (long)_options.ReplyRetention.TotalMilliseconds;
        foreach (var (correlation, ask) in _pendingAsks)
        {
            if (ask.SentAt < cutoff)
            {
                _pendingAsks.TryRemove(correlation, out _);
            }
        }

        foreach (var grain in _wakes.Keys)
        {
            if (!_owned.ContainsKey(grain))
            {
                _wakes.TryRemove(grain, out _);
            }
        }

        var now = Environment.TickCount64;
        foreach (var (grain, until) in _heldElsewhere)
        {
            if (until < now)
            {
                _heldElsewhere.TryRemove(new KeyValuePair<GrainId, long>(grain, until));
            }
        }

        try
        {
            // Housekeeping across cases: deletes of expired rows only, never part of a turn.
            await using (var command = _dataSource.CreateCommand($"DELETE FROM {_s}.replies WHERE created_at < now() - $1"))
            {
                command.Parameters.Add(Sql.Interval(_options.ReplyRetention));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await RecoverOutboxAsync(cancellationToken).ConfigureAwait(false);

            // Membership rows of silos long gone; grains they owned read as unowned either way.
            await using (var command = _dataSource.CreateCommand($"DELETE FROM {_s}.silos WHERE coalesce(stopped_at, expires_at) < now() - interval '1 day'"))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogMaintenanceFailed(e);
        }
    }

    /// <summary>Outbox items of silos that stopped or died are taken over and carried out here (at least once).</summary>
    private async Task RecoverOutboxAsync(CancellationToken cancellationToken)
    {
        var orphans = new List<(string CaseId, long Id)>();
        await using (var command = _dataSource.CreateCommand($"""
            SELECT o.case_id, o.id FROM {_s}.outbox o
            WHERE NOT EXISTS (SELECT 1 FROM {_s}.silos s WHERE s.silo_id = o.silo_id AND s.expires_at > now() AND s.stopped_at IS NULL)
            ORDER BY o.id LIMIT 500
            """))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                orphans.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        foreach (var group in orphans.GroupBy(o => o.CaseId, StringComparer.Ordinal))
        {
            var items = new List<OutboxItem>();
            await using (var command = _dataSource.CreateCommand($"""
                WITH mine AS (
                    SELECT o.case_id, o.id FROM {_s}.outbox o
                    WHERE o.case_id = $1 AND o.id = ANY($2)
                      AND NOT EXISTS (SELECT 1 FROM {_s}.silos s WHERE s.silo_id = o.silo_id AND s.expires_at > now() AND s.stopped_at IS NULL)
                    FOR UPDATE OF o SKIP LOCKED)
                UPDATE {_s}.outbox o SET silo_id = $3 FROM mine WHERE o.case_id = mine.case_id AND o.id = mine.id
                RETURNING o.id, o.topic, o.source_type, o.source_key, o.payload::text, o.payload_type
                """))
            {
                command.Parameters.Add(Sql.Text(group.Key));
                command.Parameters.Add(Sql.Longs(group.Select(o => o.Id).ToArray()));
                command.Parameters.Add(Sql.Text(_siloId));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var source = new GrainId(reader.GetString(2), reader.GetString(3), group.Key);
                    var payload = ReadLenient(reader.GetString(4), reader.GetString(5));
                    items.Add(new OutboxItem(reader.GetString(1), source, payload) { Id = reader.GetInt64(0) });
                    _outboxCases[reader.GetInt64(0)] = group.Key;
                }
            }

            if (items.Count > 0)
            {
                items.Sort((a, b) => a.Id.CompareTo(b.Id));
                LogOutboxRecovered(items.Count, group.Key);
                _listener?.OnOutbox(items);
            }
        }
    }

    private async Task ListenLoopAsync(TaskCompletionSource listening, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _listenSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var command = new NpgsqlCommand($"LISTEN {_channel}; LISTEN {_busChannel}", connection))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                LogListenConnected(_channel, failures);
                if (!listening.TrySetResult())
                {
                    // Reconnected: whatever was notified while we were away is found by looking, not waiting.
                    _ = SweepForWorkAsync();
                }

                failures = 0;
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                listening.TrySetCanceled(cancellationToken);
                return;
            }
            catch (Exception e)
            {
                failures++;
                LogListenConnectionLost(e, _channel, failures);
                var delay = TimeSpan.FromMilliseconds(Math.Min(100 * (1L << Math.Min(failures, 10)), _options.ListenReconnectDelayMax.TotalMilliseconds));
                try
                {
                    await Task.Delay(delay, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    listening.TrySetCanceled(cancellationToken);
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (_frozen)
        {
            return;
        }

        if (string.Equals(e.Channel, _busChannel, StringComparison.Ordinal))
        {
            OnBusNotification(e.Payload);
            return;
        }

        var wakeUp = WakeUp.Decode(e.Payload);
        if (wakeUp is null)
        {
            LogNotificationMalformed(e.Payload.Length > 200 ? e.Payload[..200] : e.Payload);
            return;
        }

        // This silo already told its own runtime about its own commits.
        if (string.Equals(wakeUp.Silo, _siloId, StringComparison.Ordinal))
        {
            return;
        }

        var listener = _listener;
        if (listener is null)
        {
            return;
        }

        if (wakeUp.Stopped is not null)
        {
            // Grains it held are free now; what we believed about who holds what is stale.
            _heldElsewhere.Clear();
        }

        if (wakeUp.PollAll || wakeUp.Stopped is not null)
        {
            _ = SweepForWorkAsync();
        }

        foreach (var grain in wakeUp.Grains)
        {
            NoteWake(grain);
            if (MayRunHere(grain))
            {
                listener.OnMessagesAvailable(grain);
            }
        }

        if (wakeUp.Replies.Count > 0)
        {
            List<Guid>? mine = null;
            foreach (var correlation in wakeUp.Replies)
            {
                if (_pendingAsks.ContainsKey(correlation))
                {
                    (mine ??= []).Add(correlation);
                }
            }

            if (mine is not null)
            {
                _ = CollectRepliesSafelyAsync(mine);
            }
        }
    }

    /// <summary>Looks for work nobody told this silo about (after a reconnect, a "poll now" or a silo leaving).</summary>
    private async Task SweepForWorkAsync()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            var grains = await FindGrainsWithMessagesAsync(1000, _stopping.Token).ConfigureAwait(false);
            var listener = _listener;
            if (listener is not null)
            {
                foreach (var grain in grains)
                {
                    listener.OnMessagesAvailable(grain);
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            // The runtime's own polling comes round again.
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private async Task CollectRepliesSafelyAsync(List<Guid> correlations)
    {
        try
        {
            await CollectRepliesAsync(correlations, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            // Polling fetches the reply later; the row stays until taken or expired.
            LogReplyFetchFailed(e);
        }
    }

    /// <summary>Takes the replies to this silo's asks out of the replies table and hands them to the runtime.</summary>
    private async Task CollectRepliesAsync(List<Guid>? correlations, CancellationToken cancellationToken)
    {
        var byCase = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        if (correlations is null)
        {
            // Polling: one read across cases finds which pending asks have an answer waiting; only those are taken.
            var cases = new List<string?>();
            var ids = new List<Guid>();
            foreach (var (correlation, ask) in _pendingAsks)
            {
                cases.Add(ask.CaseId);
                ids.Add(correlation);
            }

            await using var command = _dataSource.CreateCommand(_sql.FindReplies);
            command.Parameters.Add(Sql.Texts([.. cases]));
            command.Parameters.Add(Sql.Uuids([.. ids]));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                Add(byCase, reader.GetString(0), reader.GetGuid(1));
            }
        }
        else
        {
            foreach (var correlation in correlations)
            {
                if (_pendingAsks.TryGetValue(correlation, out var ask))
                {
                    Add(byCase, ask.CaseId, correlation);
                }
            }
        }

        foreach (var (caseId, ids) in byCase)
        {
            await using var command = _dataSource.CreateCommand(_sql.TakeReplies);
            command.Parameters.Add(Sql.Text(caseId));
            command.Parameters.Add(Sql.Uuids([.. ids]));
            var replies = new List<GrainReply>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    replies.Add(new GrainReply(reader.GetGuid(0), ReadLenient(reader.GetString(1), reader.GetString(2))));
                }
            }

            foreach (var reply in replies)
            {
                if (_pendingAsks.TryRemove(reply.CorrelationId, out _))
                {
                    _listener?.OnReply(reply);
                }
            }
        }

        static void Add(Dictionary<string, List<Guid>> byCase, string caseId, Guid correlation)
        {
            if (!byCase.TryGetValue(caseId, out var list))
            {
                byCase[caseId] = list = [];
            }

            list.Add(correlation);
        }
    }
}
