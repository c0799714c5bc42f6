namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// Writes that many callers queue, sent to PostgreSQL in rounds: one round in flight at a time, taking what was
/// queued meanwhile, so writes that arrive together share one round trip and one transaction. A round of several
/// writes that fails is sent again write by write (each write is safe to repeat), so a write the store refuses
/// fails alone.
/// </summary>
/// <typeparam name="T">One write, as its store describes it.</typeparam>
/// <param name="write">Sends one round; throws when it did not commit.</param>
/// <param name="sizeOf">A write's size (rows); a round takes queued writes up to <paramref name="maxRoundSize"/> of it.</param>
/// <param name="completed">Answers a write's callers: with null once it committed, or with why it failed. Runs in
/// the round's loop, so a write it queues goes in the next round; it must not throw.</param>
/// <param name="maxRoundSize">The most rows of a round (a single larger write goes alone).</param>
internal sealed class WriteRounds<T>(Func<IReadOnlyList<T>, Task> write, Func<T, int> sizeOf, Action<T, Exception?> completed, int maxRoundSize)
{
    private readonly Lock _gate = new();
    private List<T> _queued = [];
    private bool _running;

    /// <summary>Queues a write for the next round, and starts the round when none is in flight.</summary>
    public void Submit(T item)
    {
        List<T> round;
        lock (_gate)
        {
            _queued.Add(item);
            if (_running)
            {
                return;
            }

            _running = true;
            round = Take();
        }

        // Not part of the call that started it: the round serves every caller waiting in it.
        using (ExecutionContext.SuppressFlow())
        {
            _ = RunAsync(round);
        }
    }

    /// <summary>Up to <c>maxRoundSize</c> rows of the queued writes (at least one write). Under <see cref="_gate"/>.</summary>
    private List<T> Take()
    {
        var size = 0;
        var taken = 0;
        while (taken < _queued.Count && (taken == 0 || size + sizeOf(_queued[taken]) <= maxRoundSize))
        {
            size += sizeOf(_queued[taken]);
            taken++;
        }

        if (taken == _queued.Count)
        {
            var all = _queued;
            _queued = [];
            return all;
        }

        var round = _queued.GetRange(0, taken);
        _queued.RemoveRange(0, taken);
        return round;
    }

    /// <summary>Sends rounds until none is queued. Never throws.</summary>
    private async Task RunAsync(List<T> round)
    {
        while (true)
        {
            await SendAsync(round).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _running = false;
                    return;
                }

                round = Take();
            }
        }
    }

    private async Task SendAsync(List<T> round)
    {
        try
        {
            await write(round).ConfigureAwait(false);
            foreach (var item in round)
            {
                completed(item, null);
            }

            return;
        }
        catch (Exception e) when (round.Count == 1)
        {
            completed(round[0], e);
            return;
        }
        catch (Exception)
        {
            // Sent again below, one write at a time.
        }

        foreach (var item in round)
        {
            Exception? failure = null;
            try
            {
                await write([item]).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e;
            }

            completed(item, failure);
        }
    }
}
