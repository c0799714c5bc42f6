using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>The appends: one statement per case at a time, with what arrived for that case meanwhile.</summary>
public sealed partial class PostgresCaseHistory
{
    public ValueTask AppendAsync(string caseId, IReadOnlyList<PendingHistoryEvent> events, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var pending in events)
        {
            // Checked before anything is stored: an append takes effect whole or not at all.
            ArgumentNullException.ThrowIfNull(pending);
            ArgumentException.ThrowIfNullOrEmpty(pending.EventId);
        }

        // Appends to one case wait for each other on its counter row anyway (100 task grains of a cancelled case
        // append at once): those that arrive while one is in flight go together in the next statement.
        var append = new Append([.. events]);
        var lane = _lanes.GetOrAdd(caseId, static _ => new AppendLane());
        lock (lane.Gate)
        {
            if (lane.Running)
            {
                lane.Waiting.Add(append);
                return new ValueTask(append.Done.Task.WaitAsync(cancellationToken));
            }

            lane.Running = true;
        }

        return new ValueTask(LeadAsync(caseId, lane, append));
    }

    private async Task LeadAsync(string caseId, AppendLane lane, Append append)
    {
        await RunAsync(caseId, lane, [append]).ConfigureAwait(false);
        await append.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Writes a batch and answers its callers, then hands what arrived meanwhile to a run of its own. Never throws.</summary>
    private async Task RunAsync(string caseId, AppendLane lane, List<Append> batch)
    {
        try
        {
            await WriteAsync(caseId, batch).ConfigureAwait(false);
            foreach (var append in batch)
            {
                append.Done.TrySetResult();
            }
        }
        catch (Exception e)
        {
            foreach (var append in batch)
            {
                append.Done.TrySetException(e);
            }
        }
        finally
        {
            List<Append>? next = null;
            lock (lane.Gate)
            {
                if (lane.Waiting.Count > 0)
                {
                    next = lane.Waiting;
                    lane.Waiting = [];
                }
                else
                {
                    lane.Running = false;
                    _lanes.TryRemove(new KeyValuePair<string, AppendLane>(caseId, lane));
                }
            }

            if (next is not null)
            {
                // The first caller of this batch has its answer; the next batch runs on without it.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = RunAsync(caseId, lane, next);
                }
            }
        }
    }

    private async Task WriteAsync(string caseId, List<Append> batch)
    {
        var count = 0;
        foreach (var append in batch)
        {
            count += append.Events.Length;
        }

        var ids = new string[count];
        var at = new DateTime[count];
        var types = new string[count];
        var actors = new string[count];
        var reasons = new string?[count];
        var tasks = new string?[count];
        var details = new string?[count];
        var i = 0;
        foreach (var append in batch)
        {
            foreach (var pending in append.Events)
            {
                ids[i] = pending.EventId;
                at[i] = pending.Event.At.UtcDateTime;
                types[i] = pending.Event.Type;
                actors[i] = pending.Event.Actor;
                reasons[i] = pending.Event.Reason;
                tasks[i] = pending.Event.TaskId;
                details[i] = pending.Event.Detail is { ValueKind: not JsonValueKind.Undefined } detail ? detail.GetRawText() : null;
                i++;
            }
        }

        // Three statements, one round trip, one implicit transaction: the row lock of the second statement is held
        // until the commit, and the third statement takes a snapshot after the lock was granted. The announcement follows
        // in the same round trip.
        await using var command = _dataSource.CreateBatch();
        command.BatchCommands.Add(Command(_counterSql, Text(caseId)));
        command.BatchCommands.Add(Command(_lockSql, Text(caseId)));
        var insert = Command(
            _appendSql,
            Text(caseId),
            TextArray(ids),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = at },
            TextArray(types),
            TextArray(actors),
            TextArray(reasons),
            TextArray(tasks),
            TextArray(details));
        command.BatchCommands.Add(insert);
        if (_notify)
        {
            // Announced in a transaction of its own, after the append's commit: NOTIFY serializes the commits of all
            // notifying transactions on the server, and one that writes nothing holds that lock without a disk flush.
            insert.AppendErrorBarrier = true;
            command.BatchCommands.Add(Command(_announceSql, Text(_notifications.HistoryChannel), Text(caseId)));
        }
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>One caller's events, and its answer.</summary>
    private sealed class Append(PendingHistoryEvent[] events)
    {
        public PendingHistoryEvent[] Events { get; } = events;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One case's appends: whether one is in flight, and those waiting for the next statement.</summary>
    private sealed class AppendLane
    {
        public Lock Gate { get; } = new();

        public bool Running { get; set; }

        public List<Append> Waiting { get; set; } = [];
    }
}
