using System.Collections.Immutable;

namespace Ripcord.Grains.Durability;

/// <summary>
/// What a Ripcord grain persists: the state its machine decides on, and everything the durability protocol needs to
/// survive a lost call or a dead silo — the outbox of the committed turns, the deadlines, and the last sequence
/// applied from each sender.
/// </summary>
public sealed record GrainRecord<TState>
    where TState : class
{
    public TState? State { get; init; }

    /// <summary>The next outbox sequence.</summary>
    public long NextSequence { get; init; } = 1;

    public ImmutableArray<OutboxEntry> Outbox { get; init; } = [];

    public ImmutableArray<Deadline> Deadlines { get; init; } = [];

    /// <summary>Per sender, the highest mail sequence applied (delivery is in order per sender and receiver).</summary>
    public ImmutableDictionary<string, long> Applied { get; init; } = ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>True while the grain's recovery reminder is registered.</summary>
    public bool RecoveryReminder { get; init; }

    /// <summary>
    /// When the recovery reminder first ticks, if it was put off until a far deadline (a retention period) so that an
    /// idle grain is not woken every recovery period meanwhile; null while it ticks every period.
    /// </summary>
    public DateTimeOffset? RecoveryAt { get; init; }

    /// <summary>Grows with every write (the case index's version guard).</summary>
    public long Version { get; init; }
}
