using Ripcord.Contracts;

namespace Ripcord.Grains.Durability;

/// <summary>Publish entries: the handlers of a written turn (cancel signals, release webhooks), run beside its delivery.</summary>
public abstract partial class DurableGrain<TState>
{
    private readonly HashSet<long> _publishing = [];

    /// <summary>
    /// Starts the handlers of a written turn's publish entries (a cancel signal to its agent, a release webhook)
    /// without waiting: the signal leaves while the turn still appends its history. A flush leaves them alone while
    /// they run; one that failed is the flush's to retry.
    /// </summary>
    private void StartPublishing(IReadOnlyList<OutboxEntry> added)
    {
        List<OutboxEntry>? publishes = null;
        foreach (var entry in added)
        {
            if (entry.Kind == OutboxKind.Publish)
            {
                (publishes ??= []).Add(entry);
                _publishing.Add(entry.Sequence);
            }
        }

        if (publishes is null)
        {
            return;
        }

        // Not part of the turn that made them: they must not carry that call's context.
        using (ExecutionContext.SuppressFlow())
        {
            _ = PublishAllAsync(publishes);
        }
    }

    private async Task PublishAllAsync(List<OutboxEntry> publishes)
    {
        var sends = new Task<bool>[publishes.Count];
        for (var i = 0; i < sends.Length; i++)
        {
            sends[i] = PublishAsync(publishes[i]);
        }

        await Task.WhenAll(sends);
        foreach (var entry in publishes)
        {
            _publishing.Remove(entry.Sequence);
        }

        // Retries what failed, or finds everything delivered and schedules the compaction.
        StartFlush();
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
}
