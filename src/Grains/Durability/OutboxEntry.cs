using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Durability;

/// <summary>Something a committed turn must get out of its grain: kept in state until delivered.</summary>
public sealed record OutboxEntry
{
    /// <summary>The grain's own counter; with the grain's key, the entry's id.</summary>
    public long Sequence { get; init; }

    public OutboxKind Kind { get; init; }

    /// <summary>The receiving grain's key (<see cref="OutboxKind.Mail"/>).</summary>
    public string? Target { get; init; }

    /// <summary>The outbox handler's topic (<see cref="OutboxKind.Publish"/>).</summary>
    public string? Topic { get; init; }

    public StoredMessage? Message { get; init; }

    public PendingHistoryEvent? History { get; init; }

    public CaseIndexEntry? Index { get; init; }
}
