using Ripcord.Contracts;

namespace Ripcord.Grains.Durability;

public abstract partial class DurableGrain<TState>
{
    // A timer cannot wait longer than about 49 days; one armed for a later deadline fires early and arms again.
    private static readonly TimeSpan MaxTimerWait = TimeSpan.FromDays(30);

    private ITimer? _deadlineTimer;
    private DateTimeOffset? _armedFor;

    /// <summary>The earliest deadline due at <paramref name="now"/>, if any.</summary>
    private Deadline? EarliestDue(DateTimeOffset now)
    {
        Deadline? due = null;
        foreach (var deadline in _committed.Deadlines)
        {
            if (deadline.DueAt <= now && (due is null || deadline.DueAt < due.DueAt))
            {
                due = deadline;
            }
        }

        return due;
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
        _deadlineTimer = _services.Clock.Time.CreateTimer(static s => ((IDurableGrain)s!).FireDeadlines().Ignore(), self, wait < MaxTimerWait ? wait : MaxTimerWait, Timeout.InfiniteTimeSpan);
    }
}
