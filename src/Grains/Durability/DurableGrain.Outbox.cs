using System.Collections.Immutable;
using Ripcord.Contracts;
using Ripcord.Grains.Diagnostics;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Durability;

public abstract partial class DurableGrain<TState>
{
    private IGrainTimer? _retryTimer;
    private bool _flushing;
    private bool _flushAgain;
    private bool _flushWhenSent;
    private int _retryAttempt;

    /// <summary>
    /// A turn's mail down the hierarchy, before the turn ends: a cancel has reached its task grains when the API says
    /// accepted, and a deadline's cancel when the case shows it. A receiver that has older mail still waiting, or is being sent to, is left to the flush (order per
    /// receiver is what makes a sequence safe to apply once); so is any failure.
    /// </summary>
    private async Task DeliverInlineAsync(IReadOnlyList<OutboxEntry> added)
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
        ScheduleCompaction();
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
                case OutboxKind.Publish when !_publishing.Contains(entry.Sequence):
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

    private IDurableGrain Receiver(string key) => _services.References.Durable(key);
}
