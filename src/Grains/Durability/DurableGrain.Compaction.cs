using Orleans.Storage;
using Ripcord.Grains.Diagnostics;

namespace Ripcord.Grains.Durability;

public abstract partial class DurableGrain<TState>
{
    private IGrainTimer? _compactionTimer;

    /// <summary>Writes the state once more without the delivered entries, and lets the recovery reminder go when nothing is pending.</summary>
    private async Task CompactAsync()
    {
        _compactionTimer?.Dispose();
        _compactionTimer = null;
        if (_turning || _flushing || HasUndelivered(_committed) || _services.Stopping.IsCancellationRequested)
        {
            // A turn or a flush is under way (the flush that ends it schedules the compaction again), or the silo is stopping.
            return;
        }

        var quiet = _committed.Deadlines.IsEmpty;
        if (_committed.Outbox.IsEmpty && !(quiet && _committed.RecoveryReminder))
        {
            return;
        }

        // Mail that arrives meanwhile waits for this write, as for a turn's.
        _turning = true;
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
        finally
        {
            LeaveTurn();
        }
    }
}
