namespace Ripcord.Runtime.Storage;

/// <summary>Carries out outbox items of one topic after their turn committed. Must be idempotent: delivery is at least once.</summary>
public interface IOutboxHandler
{
    string Topic { get; }

    ValueTask HandleAsync(OutboxItem item, CancellationToken cancellationToken);
}
