using Orleans.Storage;
using Ripcord.Grains.Diagnostics;

namespace Ripcord.Grains.Durability;

public abstract partial class DurableGrain<TState>
{
    private IGrainTimer? _compactionTimer;

    /// <summary>The recovery reminder as this activation last registered it (its handle spares a read to let it go), or null.</summary>
    private IGrainReminder? _recoveryReminder;

    /// <summary>
    /// Once everything of the outbox is delivered (by the turn itself or by a flush), the compaction follows
    /// <see cref="DurabilityOptions.CompactionDelay"/> later, unless one is scheduled already.
    /// </summary>
    private void ScheduleCompaction()
    {
        if (_compactionTimer is null && !HasUndelivered(_committed) && HasCompactionWork(_committed))
        {
            _compactionTimer = this.RegisterGrainTimer(static (grain, _) => grain.CompactAsync(), this, new GrainTimerCreationOptions(_services.Options.CompactionDelay, Timeout.InfiniteTimeSpan) { Interleave = false });
        }
    }

    /// <summary>Writes the state once more without the delivered entries, and lets the recovery reminder go when nothing is pending.</summary>
    private async Task CompactAsync()
    {
        _compactionTimer?.Dispose();
        _compactionTimer = null;
        if (_turning || _flushing || HasUndelivered(_committed) || _services.Stopping.IsCancellationRequested)
        {
            // A turn or a flush is under way (the one that ends it schedules the compaction again), or the silo is stopping.
            return;
        }

        if (!HasCompactionWork(_committed))
        {
            return;
        }

        var quiet = _committed.Deadlines.IsEmpty;
        var putOff = FarRecovery(_committed);

        // Mail that arrives meanwhile waits for this write, as for a turn's.
        _turning = true;
        try
        {
            // Written before the reminder moves: a write that fails leaves a reminder that ticks sooner than recorded, never later.
            await WriteAsync(_committed with { Outbox = [], RecoveryReminder = _committed.RecoveryReminder && !quiet, RecoveryAt = quiet ? null : putOff ?? _committed.RecoveryAt, Version = _committed.Version + 1 });
            if (quiet && (_recoveryReminder ?? await this.GetReminder(RecoveryReminderName)) is { } reminder)
            {
                _recoveryReminder = null;
                await this.UnregisterReminder(reminder);
            }
            else if (putOff is { } at)
            {
                _recoveryReminder = await this.RegisterOrUpdateReminder(RecoveryReminderName, at - Now, _services.Options.RecoveryPeriod);
            }

            // Counted once the reminder has moved too: tests wait on this measurement.
            RipcordInstruments.Turns.Add(1);
        }
        catch (InconsistentStateException)
        {
            this.DeactivateOnIdle();
        }
        catch (Exception e)
        {
            DurableGrainLog.CompactionFailed(_services.Logger, Key, e);
        }
        finally
        {
            LeaveTurn();
        }
    }

    /// <summary>Delivered entries to drop, a recovery reminder to let go (nothing pending), or one to put off (only a far deadline).</summary>
    private bool HasCompactionWork(GrainRecord<TState> record) =>
        !record.Outbox.IsEmpty || (record.Deadlines.IsEmpty && record.RecoveryReminder) || FarRecovery(record) is not null;

    /// <summary>
    /// True when <paramref name="record"/> holds work a recovery reminder must come back for sooner than the one
    /// registered would: undelivered mail or a deadline, with no reminder, or with one put off until after the work is due.
    /// </summary>
    private bool NeedsRecoverySooner(GrainRecord<TState> record)
    {
        var needed = !record.Outbox.IsEmpty ? Now : record.Deadlines.IsEmpty ? (DateTimeOffset?)null : EarliestDeadline(record);
        return needed is { } at && (!record.RecoveryReminder || record.RecoveryAt > at + _services.Options.RecoveryPeriod);
    }

    /// <summary>Whether the grain holds undelivered entries, or a deadline due before the recovery reminder's period has passed.</summary>
    private bool HasWorkBeforeRecovery() =>
        HasUndelivered(_committed) || (!_committed.Deadlines.IsEmpty && EarliestDeadline(_committed) <= Now + _services.Options.RecoveryPeriod);

    /// <summary>The longest the recovery reminder is put off at once; a later deadline puts it off again when it ticks.</summary>
    private static readonly TimeSpan MaxRecoveryWait = TimeSpan.FromDays(30);

    /// <summary>
    /// For a grain with nothing left to deliver whose earliest deadline is more than two recovery periods away (and
    /// whose reminder is not put off already): when the reminder may first tick, that deadline or 30 days from now,
    /// whichever is sooner. Null otherwise.
    /// </summary>
    private DateTimeOffset? FarRecovery(GrainRecord<TState> record)
    {
        if (!record.RecoveryReminder || record.RecoveryAt > Now || record.Deadlines.IsEmpty || HasUndelivered(record))
        {
            return null;
        }

        var earliest = EarliestDeadline(record);
        return earliest - Now <= 2 * _services.Options.RecoveryPeriod ? null : earliest - Now > MaxRecoveryWait ? Now + MaxRecoveryWait : earliest;
    }

    private static DateTimeOffset EarliestDeadline(GrainRecord<TState> record)
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var deadline in record.Deadlines)
        {
            earliest = deadline.DueAt < earliest ? deadline.DueAt : earliest;
        }

        return earliest;
    }
}
