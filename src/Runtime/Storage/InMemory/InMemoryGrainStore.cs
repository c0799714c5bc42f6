using System.Collections.Concurrent;
using Ripcord.Contracts;

namespace Ripcord.Runtime.Storage.InMemory;

/// <summary>
/// The embedded store: the same semantics as the PostgreSQL store inside one process, lost when it stops.
/// Each grain's mailbox, state and epoch sit behind that grain's own lock, so grains never contend with each other.
/// </summary>
public sealed class InMemoryGrainStore : IGrainStore, Cluster.IClusterInspector, IGrainStateScanner
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<GrainId, Slot> _slots = new();
    private readonly ConcurrentDictionary<string, CaseHistory> _history = new(StringComparer.Ordinal);
    private readonly Lock _reminderLock = new();
    private readonly Dictionary<(GrainId Grain, string Name), Reminder> _reminders = [];
    private readonly PriorityQueue<(GrainId Grain, string Name, long Generation), DateTimeOffset> _reminderQueue = new();
    private readonly Lock _deadLetterLock = new();
    private readonly List<DeadLetter> _deadLetters = [];
    private long _nextMessageId;
    private long _nextOutboxId;
    private long _reminderGeneration;
    private IStoreListener? _listener;

    public InMemoryGrainStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    public bool IsShared => false;

    public ValueTask StartAsync(IStoreListener listener, CancellationToken cancellationToken)
    {
        _listener = listener;
        return ValueTask.CompletedTask;
    }

    public ValueTask StopAsync(CancellationToken cancellationToken)
    {
        _listener = null;
        return ValueTask.CompletedTask;
    }

    public ValueTask EnqueueAsync(IReadOnlyList<Envelope> messages, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        for (var i = 0; i < messages.Count; i++)
        {
            Append(messages[i], now);
        }

        var listener = _listener;
        if (listener is not null)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                listener.OnMessagesAvailable(messages[i].Target);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<GrainSnapshot?> ActivateAsync(GrainId grain, CancellationToken cancellationToken)
    {
        var slot = GetSlot(grain);
        lock (slot.Gate)
        {
            slot.Epoch++;
            return ValueTask.FromResult<GrainSnapshot?>(new GrainSnapshot(slot.State, slot.Version, slot.Epoch));
        }
    }

    public ValueTask DeactivateAsync(GrainId grain, long epoch, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<int> ReadMailboxAsync(GrainId grain, long epoch, List<Envelope> into, int max, CancellationToken cancellationToken)
    {
        var slot = GetSlot(grain);
        var count = 0;
        lock (slot.Gate)
        {
            if (slot.Epoch != epoch)
            {
                return ValueTask.FromResult(0);
            }

            foreach (var message in slot.Mailbox)
            {
                if (count == max)
                {
                    break;
                }

                into.Add(message);
                count++;
            }
        }

        return ValueTask.FromResult(count);
    }

    public ValueTask<long> CommitAsync(TurnCommit commit, CancellationToken cancellationToken)
    {
        var slot = GetSlot(commit.Grain);
        long version;
        lock (slot.Gate)
        {
            if (slot.Epoch != commit.Epoch)
            {
                throw new StaleEpochException(commit.Grain, commit.Epoch, $"current epoch is {slot.Epoch}");
            }

            if (slot.Version != commit.ExpectedVersion)
            {
                throw new StaleEpochException(commit.Grain, commit.Epoch, $"version {commit.ExpectedVersion} expected, {slot.Version} stored");
            }

            RemoveHandled(slot.Mailbox, commit.Handled);
            if (commit.StateChanged)
            {
                slot.State = commit.State;
                slot.Version++;
            }

            version = slot.Version;
        }

        var now = _time.GetUtcNow();
        if (commit.Reminders.Count > 0)
        {
            ApplyReminders(commit.Grain, slot, commit.Reminders);
        }

        if (commit.History.Count > 0)
        {
            var history = _history.GetOrAdd(commit.Grain.CaseId, static _ => new CaseHistory());
            lock (history.Gate)
            {
                foreach (var e in commit.History)
                {
                    history.Events.Add(e with { Sequence = history.Events.Count + 1 });
                }
            }
        }

        if (commit.DeadLetters.Count > 0)
        {
            lock (_deadLetterLock)
            {
                _deadLetters.AddRange(commit.DeadLetters);
            }
        }

        for (var i = 0; i < commit.Outgoing.Count; i++)
        {
            Append(commit.Outgoing[i], now);
        }

        for (var i = 0; i < commit.Outbox.Count; i++)
        {
            commit.Outbox[i].Id = Interlocked.Increment(ref _nextOutboxId);
        }

        var listener = _listener;
        if (listener is not null)
        {
            for (var i = 0; i < commit.Outgoing.Count; i++)
            {
                listener.OnMessagesAvailable(commit.Outgoing[i].Target);
            }

            for (var i = 0; i < commit.Replies.Count; i++)
            {
                listener.OnReply(commit.Replies[i]);
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

        return ValueTask.FromResult(version);
    }

    public ValueTask<DateTimeOffset?> FireDueRemindersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<GrainId>? woken = null;
        DateTimeOffset? next = null;
        lock (_reminderLock)
        {
            while (_reminderQueue.TryPeek(out var key, out var due))
            {
                if (!_reminders.TryGetValue((key.Grain, key.Name), out var reminder) || reminder.Generation != key.Generation)
                {
                    _reminderQueue.Dequeue();
                    continue;
                }

                if (due > now)
                {
                    next = due;
                    break;
                }

                _reminderQueue.Dequeue();
                _reminders.Remove((key.Grain, key.Name));

                // Appended while the reminder lock is held, so a turn that clears this reminder either sees the
                // reminder (and deletes it) or sees this message (and purges it): a cleared reminder never arrives.
                Append(new Envelope(key.Grain, reminder.Message, reminderName: key.Name), now);
                (woken ??= []).Add(key.Grain);
            }
        }

        var listener = _listener;
        if (woken is not null && listener is not null)
        {
            foreach (var grain in woken)
            {
                listener.OnMessagesAvailable(grain);
            }
        }

        return ValueTask.FromResult(next);
    }

    public ValueTask<IReadOnlyList<GrainId>> FindGrainsWithMessagesAsync(int max, CancellationToken cancellationToken)
    {
        var found = new List<GrainId>();
        foreach (var (id, slot) in _slots)
        {
            if (found.Count == max)
            {
                break;
            }

            lock (slot.Gate)
            {
                if (slot.Mailbox.Count > 0)
                {
                    found.Add(id);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<GrainId>>(found);
    }

    public ValueTask CompleteOutboxAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string caseId, long afterSequence, int max, CancellationToken cancellationToken)
    {
        if (!_history.TryGetValue(caseId, out var history))
        {
            return ValueTask.FromResult<IReadOnlyList<HistoryEvent>>([]);
        }

        lock (history.Gate)
        {
            var start = (int)Math.Min(Math.Max(afterSequence, 0), history.Events.Count);
            var count = Math.Min(max, history.Events.Count - start);
            return ValueTask.FromResult<IReadOnlyList<HistoryEvent>>(history.Events.GetRange(start, count));
        }
    }

    public ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        lock (_deadLetterLock)
        {
            var start = Math.Max(0, _deadLetters.Count - max);
            return ValueTask.FromResult<IReadOnlyList<DeadLetter>>(_deadLetters.GetRange(start, _deadLetters.Count - start));
        }
    }

    public ValueTask<GrainSnapshot?> ReadStateAsync(GrainId grain, CancellationToken cancellationToken)
    {
        if (!_slots.TryGetValue(grain, out var slot))
        {
            return ValueTask.FromResult<GrainSnapshot?>(null);
        }

        lock (slot.Gate)
        {
            return ValueTask.FromResult(slot.Version == 0 ? null : new GrainSnapshot(slot.State, slot.Version, slot.Epoch));
        }
    }

    /// <summary>Messages waiting in a grain's mailbox (for diagnostics and the cluster view).</summary>
    public int MailboxDepth(GrainId grain)
    {
        if (!_slots.TryGetValue(grain, out var slot))
        {
            return 0;
        }

        lock (slot.Gate)
        {
            return slot.Mailbox.Count;
        }
    }

    public ValueTask<IReadOnlyList<(GrainId Grain, object State)>> ScanAsync(string grainType, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        var page = new List<(GrainId Grain, object State)>();
        foreach (var (id, slot) in _slots.Where(p => p.Key.Type == grainType && (afterKey is null || string.CompareOrdinal(p.Key.Key, afterKey) > 0)).OrderBy(p => p.Key.Key, StringComparer.Ordinal))
        {
            if (page.Count == limit)
            {
                break;
            }

            lock (slot.Gate)
            {
                if (slot.Version > 0 && slot.State is { } state)
                {
                    page.Add((id, state));
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<(GrainId Grain, object State)>>(page);
    }

    public ValueTask<Cluster.ClusterView> InspectAsync(string selfSiloId, CancellationToken cancellationToken)
    {
        long depth = 0;
        var leases = 0;
        foreach (var slot in _slots.Values)
        {
            lock (slot.Gate)
            {
                depth += slot.Mailbox.Count;
                leases += slot.Epoch > 0 ? 1 : 0;
            }
        }

        int deadLetters;
        lock (_deadLetterLock)
        {
            deadLetters = _deadLetters.Count;
        }

        var self = new Cluster.SiloView(selfSiloId, "active", _time.GetUtcNow(), leases, IsSelf: true);
        return ValueTask.FromResult(new Cluster.ClusterView("InMemory", [self], depth, deadLetters));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Slot GetSlot(GrainId grain) => _slots.GetOrAdd(grain, static _ => new Slot());

    private void Append(Envelope message, DateTimeOffset now)
    {
        var slot = GetSlot(message.Target);
        lock (slot.Gate)
        {
            message.Id = Interlocked.Increment(ref _nextMessageId);
            message.EnqueuedAt = now;
            slot.Mailbox.Enqueue(message);
        }
    }

    private static void RemoveHandled(Queue<Envelope> mailbox, List<long> handled)
    {
        if (handled.Count == 0)
        {
            return;
        }

        // Handled messages are the mailbox's head in the common case: dequeue them without copying.
        var i = 0;
        while (i < handled.Count && mailbox.TryPeek(out var head) && head.Id == handled[i])
        {
            mailbox.Dequeue();
            i++;
        }

        if (i == handled.Count)
        {
            return;
        }

        var rest = new HashSet<long>(handled.Skip(i));
        var kept = mailbox.Where(m => !rest.Contains(m.Id)).ToArray();
        mailbox.Clear();
        foreach (var m in kept)
        {
            mailbox.Enqueue(m);
        }
    }

    private void ApplyReminders(GrainId grain, Slot slot, List<ReminderChange> changes)
    {
        lock (_reminderLock)
        {
            foreach (var change in changes)
            {
                if (change.IsClear)
                {
                    _reminders.Remove((grain, change.Name));
                }
                else
                {
                    var generation = ++_reminderGeneration;
                    _reminders[(grain, change.Name)] = new Reminder(change.Message!, generation);
                    _reminderQueue.Enqueue((grain, change.Name, generation), change.DueAt);
                }
            }

            lock (slot.Gate)
            {
                var stale = false;
                foreach (var message in slot.Mailbox)
                {
                    if (message.ReminderName is not null && changes.Exists(c => c.Name == message.ReminderName))
                    {
                        stale = true;
                        break;
                    }
                }

                if (stale)
                {
                    var kept = slot.Mailbox.Where(m => m.ReminderName is null || !changes.Exists(c => c.Name == m.ReminderName)).ToArray();
                    slot.Mailbox.Clear();
                    foreach (var m in kept)
                    {
                        slot.Mailbox.Enqueue(m);
                    }
                }
            }
        }
    }

    private sealed class Slot
    {
        public readonly Lock Gate = new();
        public readonly Queue<Envelope> Mailbox = new();
        public object? State;
        public long Version;
        public long Epoch;
    }

    private sealed class CaseHistory
    {
        public readonly Lock Gate = new();
        public readonly List<HistoryEvent> Events = [];
    }

    private sealed record Reminder(object Message, long Generation);
}
