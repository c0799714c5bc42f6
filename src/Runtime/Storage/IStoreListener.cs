namespace Ripcord.Runtime.Storage;

/// <summary>
/// How a store tells the runtime what became durable: its own commits and, for a shared store, other silos'.
/// Calls must be cheap and must not block: the runtime only queues work from them.
/// </summary>
public interface IStoreListener
{
    /// <summary>The grain has messages in its mailbox that may not have been seen yet.</summary>
    void OnMessagesAvailable(GrainId grain);

    /// <summary>A turn answered an ask.</summary>
    void OnReply(GrainReply reply);

    /// <summary>A turn committed outbox items.</summary>
    void OnOutbox(IReadOnlyList<OutboxItem> items);

    /// <summary>A reminder was set to fire at <paramref name="dueAt"/>.</summary>
    void OnReminderScheduled(DateTimeOffset dueAt);
}
