using System.Collections.Immutable;
using Orleans.Storage;
using Ripcord.Grains.Diagnostics;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Durability;

public abstract partial class DurableGrain<TState>
{
    /// <summary>
    /// Applies a group of turns in order through the machine (<see cref="TurnGroup{TState}"/>), writes the result
    /// once, then lets out its history and index rows and its mail down the hierarchy. Every turn of the group gets
    /// its reply, or the failure of the write; a command the machine throws on fails alone.
    /// </summary>
    private async Task CommitAsync(PendingTurn[] group)
    {
        var turns = new TurnGroup<TState>(Key, _committed, _delivered, Now);
        foreach (var turn in group)
        {
            if (turns.Admit(turn.Message, turn.Mail, turn.Deadline) is not { } message)
            {
                continue;
            }

            Decision<TState> decision;
            try
            {
                decision = Decide(turns.State, message, turns.Now);
            }
            catch (Exception e) when (turn.Deadline is not null || turn.Mail is not null)
            {
                // A message that can never be applied must not come back forever: drop it, keep the grain.
                if (turn.Deadline is { } dropped)
                {
                    DurableGrainLog.DeadlineFailed(_services.Logger, Key, dropped.Name, e);
                }
                else
                {
                    DurableGrainLog.MachineFailed(_services.Logger, Key, message.GetType().Name, e);
                }

                continue;
            }
            catch (Exception e)
            {
                turn.Fail(e);
                continue;
            }

            if (turns.Apply(decision) is { } reply)
            {
                turn.Answer(reply);
            }
        }

        if (turns.DuplicatesIgnored > 0)
        {
            RipcordInstruments.DuplicatesIgnored.Add(turns.DuplicatesIgnored);
        }

        if (turns.Finish(IndexEntry) is not { } next)
        {
            RecordMeasures(turns.Measures);
            ScheduleCompaction();
            return;
        }

        try
        {
            if (NeedsRecoverySooner(next))
            {
                // Before the write: a grain whose silo dies right after it must come back for what it holds.
                _recoveryReminder = await this.RegisterOrUpdateReminder(RecoveryReminderName, _services.Options.RecoveryPeriod, _services.Options.RecoveryPeriod);
                next = next with { RecoveryReminder = true, RecoveryAt = null };
            }

            await WriteAsync(next);
        }
        catch (Exception e)
        {
            foreach (var turn in group)
            {
                turn.Fail(e);
            }

            return;
        }

        RecordMeasures(turns.Measures);
        var added = turns.Added;
        if (added.Count > 0)
        {
            // Handlers (cancel signals, webhooks) are not part of the turn: they start now and the turn does not wait.
            StartPublishing(added);

            // The history first, so a receiver's events come after this turn's; the index row is not ordered with
            // anything, so it goes along with the mail.
            await AppendHistoryInlineAsync(added);
            await Task.WhenAll(UpsertIndexInlineAsync(added), DeliverInlineAsync(added));
        }

        // Counted once the turn's history and index rows are out too: tests wait on this measurement.
        RipcordInstruments.Turns.Add(1);
        ArmDeadlines();
        if (HasUndelivered(_committed))
        {
            StartFlush();
        }
        else
        {
            // Everything left inline and no handler runs: no flush will end to schedule the compaction.
            ScheduleCompaction();
        }
    }

    private async Task WriteAsync(GrainRecord<TState> next)
    {
        var before = _committed;
        _store.State = next;
        try
        {
            await _store.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote first: this one is stale. Escaping makes Orleans deactivate it.
            _store.State = before;
            RipcordInstruments.StaleWrites.Add(1);
            DurableGrainLog.StaleWrite(_services.Logger, Key);
            throw;
        }
        catch
        {
            _store.State = before;
            throw;
        }

        _committed = next;
        if (_delivered.Count > 0)
        {
            _delivered.RemoveWhere(s => !ContainsSequence(next.Outbox, s));
        }
    }

    private static bool ContainsSequence(ImmutableArray<OutboxEntry> outbox, long sequence)
    {
        foreach (var entry in outbox)
        {
            if (entry.Sequence == sequence)
            {
                return true;
            }
        }

        return false;
    }

    private static void RecordMeasures(IReadOnlyList<MeasureEffect> measures)
    {
        foreach (var m in measures)
        {
            CancellationInstruments.Record(m.Measure, m.Value);
        }
    }

    /// <summary>
    /// The history rows of a written turn, before it answers, the way the flush sends them; a failure leaves them
    /// to the flush.
    /// </summary>
    private Task AppendHistoryInlineAsync(IReadOnlyList<OutboxEntry> added)
    {
        List<PendingHistoryEvent>? events = null;
        List<long>? sequences = null;
        foreach (var entry in added)
        {
            if (entry.Kind == OutboxKind.History)
            {
                (events ??= []).Add(entry.History!);
                (sequences ??= []).Add(entry.Sequence);
            }
        }

        return events is null ? Task.CompletedTask : AppendHistoryAsync(events, sequences!);
    }

    /// <summary>The index row of a written turn, before it answers, the way the flush sends it.</summary>
    private Task UpsertIndexInlineAsync(IReadOnlyList<OutboxEntry> added)
    {
        foreach (var entry in added)
        {
            if (entry.Kind == OutboxKind.Index)
            {
                return UpsertIndexAsync(entry);
            }
        }

        return Task.CompletedTask;
    }
}
