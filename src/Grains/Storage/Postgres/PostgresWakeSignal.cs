using Ripcord.Grains.Storage.InMemory;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// What waiters of one stream (the case index's changes, or one case's history) wait on: the highest position a
/// notification announced and a pulse fired by each. <see cref="Epoch"/> moves when notifications may have been
/// missed (the LISTEN connection was re-opened), which ends every wait: its caller reads to find out.
/// </summary>
internal sealed class PostgresWakeSignal
{
    private readonly Pulse _pulse = new();
    private long _highest = long.MinValue;
    private int _epoch;

    public long Highest => Interlocked.Read(ref _highest);

    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>A notification announced <paramref name="position"/>.</summary>
    public void Raise(long position)
    {
        var seen = Interlocked.Read(ref _highest);
        while (position > seen)
        {
            var found = Interlocked.CompareExchange(ref _highest, position, seen);
            if (found == seen)
            {
                break;
            }

            seen = found;
        }

        // Position first, pulse second: a waiter that takes the pulse after this sees the position.
        _pulse.Fire();
    }

    /// <summary>Something may have happened that no notification announced.</summary>
    public void RaiseAll()
    {
        Interlocked.Increment(ref _epoch);
        _pulse.Fire();
    }

    /// <summary>
    /// Completes when a position above <paramref name="after"/> is known (from a notification, or from
    /// <paramref name="readPosition"/>, read once after the wait is registered so nothing committed before it is
    /// missed), when notifications may have been missed, or at <paramref name="deadline"/>.
    /// </summary>
    public async Task WaitAsync(
        long after,
        Func<CancellationToken, Task<long>> readPosition,
        DateTimeOffset deadline,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var epoch = Epoch;
        var next = _pulse.Next;
        if (Highest > after || await readPosition(cancellationToken).ConfigureAwait(false) > after)
        {
            return;
        }

        while (true)
        {
            if (!await Pulse.WaitAsync(next, deadline, timeProvider, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            next = _pulse.Next;
            if (Highest > after || Epoch != epoch)
            {
                return;
            }
        }
    }
}
