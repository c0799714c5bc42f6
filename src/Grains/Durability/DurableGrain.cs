using System.Collections.Immutable;
using Orleans.Runtime;
using Orleans.Storage;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Resources;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Diagnostics;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Durability;

/// <summary>
/// The durability protocol Ripcord adds to Orleans, which delivers a call at most once. A turn decides through the
/// grain's pure machine, then writes its new state together with an outbox of everything that must leave it, and
/// only then lets anything leave: its history and index row (before the turn answers, so a reader who got the answer
/// sees them), then its messages to other grains and its published work (after, from an interleaving flush).
/// Receivers apply a sender's sequence once. Undelivered entries are retried with backoff from a grain timer; a
/// reminder brings the grain back after its silo dies while anything is pending. Deadlines are absolute times in
/// state, fired by a timer on the domain clock and re-armed on activation. A write that loses its ETag race throws
/// <see cref="InconsistentStateException"/> out of the turn, so Orleans deactivates the stale activation and nothing
/// of that turn leaves.
/// </summary>
public abstract partial class DurableGrain<TState> : Grain, IDurableGrain, IRemindable
    where TState : class
{
    private const string RecoveryReminderName = "ripcord-recovery";

    private readonly IPersistentState<GrainRecord<TState>> _store;
    private readonly DurableGrainServices _services;
    private readonly HashSet<long> _delivered = [];
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);
    private GrainRecord<TState> _committed = new();
    private IDurableGrain? _self;
    private ITimer? _deadlineTimer;
    private DateTimeOffset? _armedFor;
    private IGrainTimer? _retryTimer;
    private IGrainTimer? _compactionTimer;
    private bool _flushing;
    private bool _flushAgain;
    private bool _flushWhenSent;
    private int _retryAttempt;

    protected DurableGrain(IPersistentState<GrainRecord<TState>> store, DurableGrainServices services)
    {
        _store = store;
        _services = services;
    }

    protected string Key => this.GetPrimaryKeyString();

    /// <summary>The state of the last written turn.</summary>
    protected TState State => _committed.State!;

    protected DurableGrainServices Services => _services;

    protected DateTimeOffset Now => _services.Clock.Now;

    /// <summary>The state of a grain that never wrote a turn.</summary>
    protected abstract TState CreateState(string key);

    /// <summary>The grain's transition function.</summary>
    protected abstract Decision<TState> Decide(TState state, object message, DateTimeOffset now);

    /// <summary>The case index row to write after a turn that changed <paramref name="before"/> into <paramref name="after"/>; null when unchanged.</summary>
    protected virtual CaseIndexEntry? IndexEntry(TState before, TState after, long version) => null;

    /// <summary>
    /// Whether a turn's mail to <paramref name="target"/> is delivered before the turn ends (and a command answers). Only down the
    /// case's hierarchy (case to task and registry, task to registry), so two grains never wait on each other; mail up
    /// (a task's end to its case) always leaves from the flush.
    /// </summary>
    protected virtual bool DeliversInline(string target) => false;

    /// <summary>The case whose history this grain appends to.</summary>
    protected abstract string CaseIdOf(TState state);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _committed = _store.State is { State: not null } stored ? stored : new GrainRecord<TState> { State = CreateState(Key) };
        _self = this.AsReference<IDurableGrain>();
        ArmDeadlines();
        if (HasUndelivered(_committed))
        {
            StartFlush();
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        return Task.CompletedTask;
    }

    public Task Deliver(Mail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return RunTurnAsync(mail.Message, mail, null);
    }

    public async Task FireDeadlines()
    {
        while (true)
        {
            var now = Now;
            Deadline? due = null;
            foreach (var deadline in _committed.Deadlines)
            {
                if (deadline.DueAt <= now && (due is null || deadline.DueAt < due.DueAt))
                {
                    due = deadline;
                }
            }

            if (due is null)
            {
                break;
            }

            await RunTurnAsync(due.Message.ToMessage(), null, due.Name);
        }

        // The timer that called this has fired: arm anew for whatever is now the earliest.
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        _armedFor = null;
        ArmDeadlines();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RecoveryReminderName)
        {
            return;
        }

        // Activation re-armed the deadlines and restarted the flush; a grain with nothing left lets the reminder go.
        if (!HasUndelivered(_committed) && _committed.Deadlines.IsEmpty)
        {
            await CompactAsync();
        }
        else
        {
            await FireDeadlines();
        }
    }

    /// <summary>Runs a command and returns its reply; the reply arrives only after the turn was written.</summary>
    protected async Task<TReply> Command<TReply>(object message)
        where TReply : class
    {
        var reply = await RunTurnAsync(message, null, null);
        return reply as TReply ?? throw new InvalidOperationException($"{GetType().Name} did not answer {message.GetType().Name} with a {typeof(TReply).Name}.");
    }

    /// <summary>Runs a one-way command (nothing to answer).</summary>
    protected Task Notify(object message) => RunTurnAsync(message, null, null);

    private async Task<object?> RunTurnAsync(object message, Mail? mail, string? firedDeadline)
    {
        var before = _committed;
        if (mail is not null && before.Applied.TryGetValue(mail.Sender, out var applied) && mail.Sequence <= applied)
        {
            RipcordInstruments.DuplicatesIgnored.Add(1);
            return null;
        }

        var now = Now;
        Decision<TState> decision;
        try
        {
            decision = Decide(before.State!, message, now);
        }
        catch (Exception e) when (firedDeadline is not null || mail is not null)
        {
            // A message that can never be applied must not come back forever: drop it, keep the grain.
            DurableGrainLog.MachineFailed(_services.Logger, Key, message.GetType().Name, e);
            decision = new Decision<TState>(before.State!, []);
        }

        var outbox = _delivered.Count == 0 ? before.Outbox : before.Outbox.RemoveAll(e => _delivered.Contains(e.Sequence));
        var deadlines = firedDeadline is null ? before.Deadlines : before.Deadlines.RemoveAll(d => d.Name == firedDeadline);
        var changed = !ReferenceEquals(decision.State, before.State) || firedDeadline is not null || mail is not null;
        var sequence = before.NextSequence;
        object? reply = null;
        List<MeasureEffect>? measures = null;
        ImmutableArray<OutboxEntry>.Builder? added = null;
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
                    var id = string.Concat(Key, "#", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
                case ReplyEffect r:
                    reply = r.Reply;
                    break;
                case MeasureEffect measure:
                    (measures ??= []).Add(measure);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown effect {effect.GetType().Name}.");
            }
        }

        var version = before.Version + 1;
        if (IndexEntry(before.State!, decision.State, version) is { } row)
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
            return reply;
        }

        var recovery = before.RecoveryReminder;
        if (!recovery && (!outbox.IsEmpty || !deadlines.IsEmpty))
        {
            await this.RegisterOrUpdateReminder(RecoveryReminderName, _services.Options.RecoveryPeriod, _services.Options.RecoveryPeriod);
            recovery = true;
        }

        var next = before with
        {
            State = decision.State,
            NextSequence = sequence,
            Outbox = outbox,
            Deadlines = deadlines,
            Applied = mail is null ? before.Applied : before.Applied.SetItem(mail.Sender, mail.Sequence),
            RecoveryReminder = recovery,
            Version = version,
        };
        await WriteAsync(next);
        RecordMeasures(measures);
        if (added is not null)
        {
            await DeliverRecordsAsync(added);
            await DeliverInlineAsync(added);
        }

        // Counted once the turn's history and index rows are out too: tests wait on this measurement.
        RipcordInstruments.Turns.Add(1);
        ArmDeadlines();
        if (HasUndelivered(_committed))
        {
            StartFlush();
        }

        return reply;
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

    /// <summary>History and index rows of a written turn, before it answers. A failure leaves them to the flush.</summary>
    private async Task DeliverRecordsAsync(ImmutableArray<OutboxEntry>.Builder added)
    {
        List<PendingHistoryEvent>? events = null;
        OutboxEntry? index = null;
        foreach (var entry in added)
        {
            if (entry.Kind == OutboxKind.History)
            {
                (events ??= []).Add(entry.History!);
            }
            else if (entry.Kind == OutboxKind.Index)
            {
                index = entry;
            }
        }

        try
        {
            if (events is not null)
            {
                await _services.History.AppendAsync(CaseIdOf(State), events, CancellationToken.None);
                foreach (var entry in added)
                {
                    if (entry.Kind == OutboxKind.History)
                    {
                        _delivered.Add(entry.Sequence);
                    }
                }
            }

            if (index is not null)
            {
                await _services.Index.UpsertAsync(index.Index!, CancellationToken.None);
                _delivered.Add(index.Sequence);
            }
        }
        catch (Exception e)
        {
            DurableGrainLog.InlineDeliveryFailed(_services.Logger, Key, e);
        }
    }

    /// <summary>
    /// A turn's mail down the hierarchy, before the turn ends: a cancel has reached its task grains when the API says
    /// accepted, and a deadline's cancel when the case shows it. A receiver that has older mail still waiting, or is being sent to, is left to the flush (order per
    /// receiver is what makes a sequence safe to apply once); so is any failure.
    /// </summary>
    private async Task DeliverInlineAsync(ImmutableArray<OutboxEntry>.Builder added)
    {
        Dictionary<string, List<OutboxEntry>>? byTarget = null;
        foreach (var entry in added)
        {
            if (entry.Kind == OutboxKind.Mail && DeliversInline(entry.Target!))
            {
                byTarget ??= new Dictionary<string, List<OutboxEntry>>(StringComparer.Ordinal);
                if (!byTarget.TryGetValue(entry.Target!, out var list))
                {
                    byTarget[entry.Target!] = list = [];
                }

                list.Add(entry);
            }
        }

        if (byTarget is null)
        {
            return;
        }

        var sends = new List<Task<bool>>(byTarget.Count);
        foreach (var (target, entries) in byTarget)
        {
            if (!_sending.Contains(target) && !HasOlderUndelivered(target, entries[0].Sequence))
            {
                sends.Add(SendInOrderAsync(target, entries));
            }
        }

        await Task.WhenAll(sends);
    }

    private bool HasOlderUndelivered(string target, long sequence)
    {
        foreach (var entry in _committed.Outbox)
        {
            if (entry.Sequence < sequence && entry.Kind == OutboxKind.Mail && entry.Target == target && !_delivered.Contains(entry.Sequence))
            {
                return true;
            }
        }

        return false;
    }

    private bool HasUndelivered(GrainRecord<TState> record)
    {
        foreach (var entry in record.Outbox)
        {
            if (!_delivered.Contains(entry.Sequence))
            {
                return true;
            }
        }

        return false;
    }

    private void StartFlush()
    {
        if (_flushing)
        {
            _flushAgain = true;
            return;
        }

        // The flush is not part of the turn that started it: it must not carry that call's context to the receivers.
        using (ExecutionContext.SuppressFlow())
        {
            _ = FlushLoopAsync();
        }
    }

    private async Task FlushLoopAsync()
    {
        _flushing = true;
        var ok = true;
        try
        {
            do
            {
                _flushAgain = false;
                ok = await FlushOnceAsync();
            }
            while (_flushAgain && ok);
        }
        finally
        {
            _flushing = false;
        }

        if (!ok)
        {
            var delay = RetryDelay(++_retryAttempt);
            _retryTimer?.Dispose();
            _retryTimer = this.RegisterGrainTimer(static (grain, _) => grain.RetryFlushAsync(), this, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
            return;
        }

        _retryAttempt = 0;
        if (!HasUndelivered(_committed) && _compactionTimer is null)
        {
            _compactionTimer = this.RegisterGrainTimer(static (grain, _) => grain.CompactAsync(), this, new GrainTimerCreationOptions(_services.Options.CompactionDelay, Timeout.InfiniteTimeSpan) { Interleave = false });
        }
    }

    private Task RetryFlushAsync()
    {
        _retryTimer?.Dispose();
        _retryTimer = null;
        StartFlush();
        return Task.CompletedTask;
    }

    private TimeSpan RetryDelay(int attempt)
    {
        var options = _services.Options;
        var ticks = options.FirstRetryDelay.Ticks * (1L << Math.Min(attempt - 1, 20));
        return ticks <= 0 || ticks > options.MaxRetryDelay.Ticks ? options.MaxRetryDelay : TimeSpan.FromTicks(ticks);
    }

    /// <summary>One pass over the committed outbox: mail in order per receiver, receivers and handlers in parallel.</summary>
    private async Task<bool> FlushOnceAsync()
    {
        Dictionary<string, List<OutboxEntry>>? mail = null;
        List<Task<bool>>? work = null;
        List<PendingHistoryEvent>? history = null;
        List<long>? historySequences = null;
        foreach (var entry in _committed.Outbox)
        {
            if (_delivered.Contains(entry.Sequence))
            {
                continue;
            }

            switch (entry.Kind)
            {
                case OutboxKind.Mail:
                    mail ??= new Dictionary<string, List<OutboxEntry>>(StringComparer.Ordinal);
                    if (!mail.TryGetValue(entry.Target!, out var list))
                    {
                        mail[entry.Target!] = list = [];
                    }

                    list.Add(entry);
                    break;
                case OutboxKind.Publish:
                    (work ??= []).Add(PublishAsync(entry));
                    break;
                case OutboxKind.History:
                    (history ??= []).Add(entry.History!);
                    (historySequences ??= []).Add(entry.Sequence);
                    break;
                case OutboxKind.Index:
                    (work ??= []).Add(UpsertIndexAsync(entry));
                    break;
            }
        }

        if (mail is not null)
        {
            foreach (var (target, entries) in mail)
            {
                if (_sending.Contains(target))
                {
                    // Another send to this receiver is on its way: flush again once it is done, keeping the order.
                    _flushWhenSent = true;
                    continue;
                }

                (work ??= []).Add(SendInOrderAsync(target, entries));
            }
        }

        if (history is not null)
        {
            (work ??= []).Add(AppendHistoryAsync(history, historySequences!));
        }

        if (work is null)
        {
            return true;
        }

        var results = await Task.WhenAll(work);
        return Array.TrueForAll(results, r => r);
    }

    private async Task<bool> SendInOrderAsync(string target, List<OutboxEntry> entries)
    {
        var receiver = Receiver(target);
        _sending.Add(target);
        try
        {
            foreach (var entry in entries)
            {
                if (_delivered.Contains(entry.Sequence))
                {
                    continue;
                }

                if (!await TryAsync(entry, async () => await receiver.Deliver(new Mail(Key, entry.Sequence, entry.Message!.ToMessage()))))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            _sending.Remove(target);
            if (_flushWhenSent)
            {
                _flushWhenSent = false;
                StartFlush();
            }
        }
    }

    private async Task<bool> PublishAsync(OutboxEntry entry) => await TryAsync(entry, async () =>
    {
        if (!_services.Handlers.TryGetValue(entry.Topic!, out var handler))
        {
            throw new InvalidOperationException($"No outbox handler for topic '{entry.Topic}'.");
        }

        var outcome = await handler.HandleAsync(entry.Message!.ToMessage(), CancellationToken.None);
        if (outcome is not null)
        {
            // The outcome comes back as a turn of this grain, applied once: the entry's id is its sender.
            var sender = string.Concat(Key, "#", entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await _self!.Deliver(new Mail(sender, 1, outcome));
        }
    });

    private Task<bool> UpsertIndexAsync(OutboxEntry entry) => TryAsync(entry, () => _services.Index.UpsertAsync(entry.Index!, CancellationToken.None).AsTask());

    private async Task<bool> AppendHistoryAsync(List<PendingHistoryEvent> events, List<long> sequences)
    {
        try
        {
            await _services.History.AppendAsync(CaseIdOf(State), events, CancellationToken.None);
            foreach (var s in sequences)
            {
                _delivered.Add(s);
            }

            return true;
        }
        catch (Exception e)
        {
            RipcordInstruments.DeliveryFailures.Add(1);
            DurableGrainLog.DeliveryFailed(_services.Logger, Key, sequences[0], OutboxKind.History, RetryDelay(_retryAttempt + 1), e);
            return false;
        }
    }

    private async Task<bool> TryAsync(OutboxEntry entry, Func<Task> deliver)
    {
        try
        {
            await deliver();
            _delivered.Add(entry.Sequence);
            return true;
        }
        catch (Exception e)
        {
            RipcordInstruments.DeliveryFailures.Add(1);
            DurableGrainLog.DeliveryFailed(_services.Logger, Key, entry.Sequence, entry.Kind, RetryDelay(_retryAttempt + 1), e);
            return false;
        }
    }

    private IDurableGrain Receiver(string key) => DurableGrains.Get(GrainFactory, key);

    /// <summary>Writes the state once more without the delivered entries, and lets the recovery reminder go when nothing is pending.</summary>
    private async Task CompactAsync()
    {
        _compactionTimer?.Dispose();
        _compactionTimer = null;
        if (_flushing || HasUndelivered(_committed))
        {
            return;
        }

        var quiet = _committed.Deadlines.IsEmpty;
        if (_committed.Outbox.IsEmpty && !(quiet && _committed.RecoveryReminder))
        {
            return;
        }

        try
        {
            await WriteAsync(_committed with { Outbox = [], RecoveryReminder = _committed.RecoveryReminder && !quiet, Version = _committed.Version + 1 });
            RipcordInstruments.Turns.Add(1);
            if (quiet && await this.GetReminder(RecoveryReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (InconsistentStateException)
        {
            this.DeactivateOnIdle();
        }
        catch (Exception e)
        {
            DurableGrainLog.CompactionFailed(_services.Logger, Key, e);
        }
    }

    private void ArmDeadlines()
    {
        DateTimeOffset? earliest = null;
        foreach (var deadline in _committed.Deadlines)
        {
            if (earliest is null || deadline.DueAt < earliest)
            {
                earliest = deadline.DueAt;
            }
        }

        if (earliest == _armedFor && (_deadlineTimer is not null || earliest is null))
        {
            return;
        }

        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        _armedFor = earliest;
        if (earliest is not { } due)
        {
            return;
        }

        var wait = due - Now;
        if (wait <= TimeSpan.Zero)
        {
            _armedFor = null;
            _self!.FireDeadlines().Ignore();
            return;
        }

        var self = _self!;
        _deadlineTimer = _services.Clock.Time.CreateTimer(static s => ((IDurableGrain)s!).FireDeadlines().Ignore(), self, wait, Timeout.InfiniteTimeSpan);
    }
}
