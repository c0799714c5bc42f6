using System.Collections.Immutable;
using System.Globalization;
using Orleans.Storage;
using Ripcord.Grains.Diagnostics;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Durability;

public abstract partial class DurableGrain<TState>
{
    /// <summary>
    /// Applies a group of turns in order through the machine, writes the result once, then lets out its history and
    /// index rows and its mail down the hierarchy. Every turn of the group gets its reply, or the failure of the
    /// write; a command the machine throws on fails alone.
    /// </summary>
    private async Task CommitAsync(PendingTurn[] group)
    {
        var before = _committed;
        var now = Now;
        var state = before.State!;
        var outbox = _delivered.Count == 0 ? before.Outbox : before.Outbox.RemoveAll(e => _delivered.Contains(e.Sequence));
        var deadlines = before.Deadlines;
        var applied = before.Applied;
        var sequence = before.NextSequence;
        var changed = false;
        List<MeasureEffect>? measures = null;
        ImmutableArray<OutboxEntry>.Builder? added = null;
        foreach (var turn in group)
        {
            var message = turn.Message;
            if (turn.Mail is { } mail)
            {
                if (applied.TryGetValue(mail.Sender, out var last) && mail.Sequence <= last)
                {
                    RipcordInstruments.DuplicatesIgnored.Add(1);
                    continue;
                }

                applied = applied.SetItem(mail.Sender, mail.Sequence);
                changed = true;
            }

            if (turn.Deadline is { } fired)
            {
                // An earlier turn of the group may have moved or cleared the deadline.
                var current = FindDeadline(deadlines, fired.Name);
                if (current is null || current.DueAt > now)
                {
                    continue;
                }

                message = ReferenceEquals(current, fired) ? message : current.Message.ToMessage();
                deadlines = deadlines.Remove(current);
                changed = true;
            }

            Decision<TState> decision;
            try
            {
                decision = Decide(state, message, now);
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

            changed |= !ReferenceEquals(decision.State, state);
            state = decision.State;
            foreach (var effect in decision.Effects)
            {
                switch (effect)
                {
                    case SendEffect send:
                        (added ??= ImmutableArray.CreateBuilder<OutboxEntry>()).Add(new OutboxEntry { Sequence = sequence++, Kind = OutboxKind.Mail, Target = send.Target, Message = StoredMessage.From(send.Message) });
                        break;
                    case PublishEffect publish:
                        (added ??= ImmutableArray.CreateBuilder<OutboxEntry>()).Add(new OutboxEntry { Sequence = sequence++, Kind = OutboxKind.Publish, Topic = publish.Topic, Message = StoredMessage.From(publish.Payload) });
                        break;
                    case HistoryEffect history:
                        var id = string.Concat(Key, "#", sequence.ToString(CultureInfo.InvariantCulture));
                        (added ??= ImmutableArray.CreateBuilder<OutboxEntry>()).Add(new OutboxEntry { Sequence = sequence++, Kind = OutboxKind.History, History = new PendingHistoryEvent(id, history.Event) });
                        break;
                    case SetReminderEffect set:
                        deadlines = deadlines.RemoveAll(d => d.Name == set.Name).Add(new Deadline(set.Name, set.DueAt, StoredMessage.From(set.Message)));
                        changed = true;
                        break;
                    case ClearReminderEffect clear:
                        var without = deadlines.RemoveAll(d => d.Name == clear.Name);
                        changed |= without.Length != deadlines.Length;
                        deadlines = without;
                        break;
                    case ReplyEffect reply:
                        turn.Answer(reply.Reply);
                        break;
                    case MeasureEffect measure:
                        (measures ??= []).Add(measure);
                        break;
                    default:
                        throw new InvalidOperationException($"Unknown effect {effect.GetType().Name}.");
                }
            }
        }

        var version = before.Version + 1;
        if (IndexEntry(before.State!, state, version) is { } row)
        {
            // Only the newest row matters: an older one still waiting is replaced.
            outbox = outbox.RemoveAll(e => e.Kind == OutboxKind.Index);
            (added ??= ImmutableArray.CreateBuilder<OutboxEntry>()).Add(new OutboxEntry { Sequence = sequence++, Kind = OutboxKind.Index, Index = row });
        }

        if (added is not null)
        {
            outbox = outbox.AddRange(added);
            changed = true;
        }

        if (!changed)
        {
            RecordMeasures(measures);
            return;
        }

        try
        {
            var recovery = before.RecoveryReminder;
            if (!recovery && (!outbox.IsEmpty || !deadlines.IsEmpty))
            {
                await this.RegisterOrUpdateReminder(RecoveryReminderName, _services.Options.RecoveryPeriod, _services.Options.RecoveryPeriod);
                recovery = true;
            }

            await WriteAsync(before with
            {
                State = state,
                NextSequence = sequence,
                Outbox = outbox,
                Deadlines = deadlines,
                Applied = applied,
                RecoveryReminder = recovery,
                Version = version,
            });
        }
        catch (Exception e)
        {
            foreach (var turn in group)
            {
                turn.Fail(e);
            }

            return;
        }

        RecordMeasures(measures);
        if (added is not null)
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
    }

    private static Deadline? FindDeadline(ImmutableArray<Deadline> deadlines, string name)
    {
        foreach (var deadline in deadlines)
        {
            if (deadline.Name == name)
            {
                return deadline;
            }
        }

        return null;
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

    private static void RecordMeasures(List<MeasureEffect>? measures)
    {
        if (measures is null)
        {
            return;
        }

        foreach (var m in measures)
        {
            CancellationInstruments.Record(m.Measure, m.Value);
        }
    }

    /// <summary>
    /// The history rows of a written turn, before it answers, the way the flush sends them; a failure leaves them
    /// to the flush.
    /// </summary>
    private Task AppendHistoryInlineAsync(ImmutableArray<OutboxEntry>.Builder added)
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
    private Task UpsertIndexInlineAsync(ImmutableArray<OutboxEntry>.Builder added)
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
