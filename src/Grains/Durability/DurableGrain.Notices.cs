namespace Ripcord.Grains.Durability;

public abstract partial class DurableGrain<TState>
{
    private readonly List<PendingTurn> _notices = [];
    private IGrainTimer? _noticeTimer;

    /// <summary>
    /// Applies a one-way notice that need not be written at once (a cancel signal's delivery, stamped with its own
    /// time): it joins the grain's next write, ahead of that write's turns, or is written on its own
    /// <see cref="DurabilityOptions.CompactionDelay"/> later if no turn comes first. A task whose agent acknowledges
    /// its cancel within that delay writes the delivery and the acknowledgement once. Best effort: a notice still
    /// waiting when the activation ends (its silo dies or stops) is not applied.
    /// </summary>
    protected Task Defer(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _notices.Add(new PendingTurn(message, null, null));
        _noticeTimer ??= this.RegisterGrainTimer(static (grain, _) => grain.WriteNoticesAsync(), this, new GrainTimerCreationOptions(_services.Options.CompactionDelay, Timeout.InfiniteTimeSpan) { Interleave = false });
        return Task.CompletedTask;
    }

    /// <summary>The group to write: the notices waiting, then <paramref name="turns"/>; the notices no longer wait.</summary>
    private PendingTurn[] WithNotices(params PendingTurn[] turns)
    {
        if (_notices.Count == 0)
        {
            return turns;
        }

        PendingTurn[] group = [.. _notices, .. turns];
        _notices.Clear();
        _noticeTimer?.Dispose();
        _noticeTimer = null;
        return group;
    }

    /// <summary>No turn came in time: the notices wait as turns do, and are written next (at once when no write is under way).</summary>
    private Task WriteNoticesAsync()
    {
        _noticeTimer?.Dispose();
        _noticeTimer = null;
        if (_notices.Count == 0)
        {
            return Task.CompletedTask;
        }

        _waiting.InsertRange(0, _notices);
        _notices.Clear();
        if (_turning)
        {
            // The write under way hands on to what waits when it is done.
            return Task.CompletedTask;
        }

        _turning = true;
        return RunWaitingAsync();
    }
}
