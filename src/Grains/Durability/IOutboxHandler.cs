namespace Ripcord.Grains.Durability;

/// <summary>
/// Carries out published outbox entries of one topic after their turn was written (a push to an agent's silo, a
/// release webhook, a kill hook). Called at least once per entry: must be idempotent. What it returns, if anything,
/// is a message for the publishing grain itself (the outcome of a webhook), applied once.
/// </summary>
public interface IOutboxHandler
{
    string Topic { get; }

    Task<object?> HandleAsync(object payload, CancellationToken cancellationToken);
}
