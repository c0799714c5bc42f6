using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>The appends: one lane per case, the lanes ready to write sent together in rounds.</summary>
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

        _rounds.Submit(new LaneWrite(caseId, lane, [append]));
        return new ValueTask(append.Done.Task.WaitAsync(cancellationToken));
    }

    /// <summary>Answers a lane write's callers, then queues the lane's next write (what arrived meanwhile), or lets the lane go.</summary>
    private void Completed(LaneWrite write, Exception? failure)
    {
        write.Finish(failure);
        var lane = write.Lane;
        LaneWrite? next = null;
        lock (lane.Gate)
        {
            if (lane.Waiting.Count > 0)
            {
                next = new LaneWrite(write.CaseId, lane, lane.Waiting);
                lane.Waiting = [];
            }
            else
            {
                lane.Running = false;
                _lanes.TryRemove(new KeyValuePair<string, AppendLane>(write.CaseId, lane));
            }
        }

        if (next is not null)
        {
            _rounds.Submit(next);
        }
    }

    private async Task WriteAsync(IReadOnlyList<LaneWrite> round)
    {
        var count = 0;
        foreach (var write in round)
        {
            count += write.EventCount;
        }

        var cases = new string[count];
        var ids = new string[count];
        var at = new DateTime[count];
        var types = new string[count];
        var actors = new string[count];
        var reasons = new string?[count];
        var tasks = new string?[count];
        var details = new string?[count];
        var caseIds = new string[round.Count];
        var i = 0;
        for (var w = 0; w < round.Count; w++)
        {
            var write = round[w];
            caseIds[w] = write.CaseId;
            foreach (var append in write.Appends)
            {
                foreach (var pending in append.Events)
                {
                    cases[i] = write.CaseId;
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
        }

        // Three statements, one round trip, one implicit transaction: the row locks of the second statement are held
        // until the commit, and the third statement takes a snapshot after the locks were granted. The announcement
        // follows in the same round trip.
        await using var command = _dataSource.CreateBatch();
        command.BatchCommands.Add(Command(_counterSql, TextArray(caseIds)));
        command.BatchCommands.Add(Command(_lockSql, TextArray(caseIds)));
        var insert = Command(
            _appendSql,
            TextArray(cases),
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
            command.BatchCommands.Add(Command(_announceSql, Text(_notifications.HistoryChannel), TextArray(caseIds)));
        }

        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>One caller's events, and its answer.</summary>
    private sealed class Append(PendingHistoryEvent[] events)
    {
        public PendingHistoryEvent[] Events { get; } = events;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One write of a lane: the appends of one case that go to the store together, in their order.</summary>
    private sealed class LaneWrite(string caseId, AppendLane lane, List<Append> appends)
    {
        public string CaseId { get; } = caseId;

        public AppendLane Lane { get; } = lane;

        public List<Append> Appends { get; } = appends;

        public int EventCount { get; } = appends.Sum(a => a.Events.Length);

        public void Finish(Exception? failure)
        {
            foreach (var append in Appends)
            {
                if (failure is null)
                {
                    append.Done.TrySetResult();
                }
                else
                {
                    append.Done.TrySetException(failure);
                }
            }
        }
    }

    /// <summary>One case's appends: whether one is in flight, and those waiting for the next statement.</summary>
    private sealed class AppendLane
    {
        public Lock Gate { get; } = new();

        public bool Running { get; set; }

        public List<Append> Waiting { get; set; } = [];
    }
}
