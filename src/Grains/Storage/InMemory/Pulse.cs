namespace Ripcord.Grains.Storage.InMemory;

/// <summary>
/// A wake-up many waiters can await without polling: each <see cref="Fire"/> completes the current generation and
/// starts the next. A waiter takes <see cref="Next"/> before it checks its condition, so a change made between the
/// check and the wait still wakes it.
/// </summary>
internal sealed class Pulse
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(30);

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Fire() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// The moment a wait of <paramref name="timeout"/> started now gives up; <see cref="Timeout.InfiniteTimeSpan"/>
    /// never does.
    /// </summary>
    public static DateTimeOffset DeadlineOf(TimeSpan timeout, TimeProvider timeProvider)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return DateTimeOffset.MaxValue;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var now = timeProvider.GetUtcNow();
        return timeout >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + timeout;
    }

    /// <summary>
    /// True when <paramref name="next"/> completed before <paramref name="deadline"/> (read on
    /// <paramref name="timeProvider"/>, so tests can move time), false when the deadline passed first.
    /// </summary>
    public static async Task<bool> WaitAsync(Task next, DateTimeOffset deadline, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var remaining = deadline == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : deadline - timeProvider.GetUtcNow();
        if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
        {
            return next.IsCompleted;
        }

        if (remaining > MaxWait)
        {
            // Task.WaitAsync refuses more than about 49 days; a caller waking that late simply waits again.
            remaining = MaxWait;
        }

        try
        {
            await next.WaitAsync(remaining, timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
