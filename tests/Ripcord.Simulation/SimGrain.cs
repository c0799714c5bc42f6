namespace Ripcord.Simulation;

/// <summary>What one simulated turn did: whether it was written, its reply, and the record before and after.</summary>
internal sealed record TurnResult(bool Written, object? Reply, IReadOnlyList<OutboxEntry> Added, bool Duplicate, object BeforeState, object AfterState);

/// <summary>
/// A grain of the simulation: its last written record (what survives a crash) and what only its activation knows
/// (which outbox entries it delivered). Turns go through <see cref="TurnGroup{TState}"/>, as in the real grain.
/// </summary>
internal interface ISimGrain
{
    string Key { get; }

    ImmutableArray<OutboxEntry> Outbox { get; }

    ImmutableArray<Deadline> Deadlines { get; }

    bool IsDelivered(long sequence);

    void MarkDelivered(long sequence);

    /// <summary>The activation dies: whatever it had not written is gone; its record stays.</summary>
    void Crash();

    /// <summary>Applies one message in a turn of its own; with <paramref name="crash"/> the activation dies before the write.</summary>
    TurnResult Turn(object message, Mail? mail, Deadline? deadline, DateTimeOffset now, bool crash);
}

internal sealed class SimGrain<TState>(string key, TState initial, Func<TState, object, DateTimeOffset, Decision<TState>> decide) : ISimGrain
    where TState : class
{
    private readonly HashSet<long> _delivered = [];

    public string Key { get; } = key;

    public GrainRecord<TState> Record { get; private set; } = new() { State = initial };

    public TState State => Record.State!;

    public ImmutableArray<OutboxEntry> Outbox => Record.Outbox;

    public ImmutableArray<Deadline> Deadlines => Record.Deadlines;

    public bool IsDelivered(long sequence) => _delivered.Contains(sequence);

    public void MarkDelivered(long sequence) => _delivered.Add(sequence);

    public void Crash() => _delivered.Clear();

    public TurnResult Turn(object message, Mail? mail, Deadline? deadline, DateTimeOffset now, bool crash)
    {
        var before = Record;
        var turns = new TurnGroup<TState>(Key, before, _delivered, now);
        object? reply = null;
        if (turns.Admit(message, mail, deadline) is { } admitted)
        {
            reply = turns.Apply(decide(turns.State, admitted, now));
        }

        var next = turns.Finish(static (_, _, _) => null);
        if (crash)
        {
            Crash();
            return new TurnResult(false, null, [], false, before.State!, before.State!);
        }

        if (next is not null)
        {
            Record = next;
            _delivered.RemoveWhere(s => !Contains(next.Outbox, s));
        }

        return new TurnResult(next is not null, reply, turns.Added, turns.DuplicatesIgnored > 0, before.State!, Record.State!);
    }

    private static bool Contains(ImmutableArray<OutboxEntry> outbox, long sequence)
    {
        foreach (var entry in outbox)
        {
            if (entry.Sequence == sequence)
            {
                return true;
            }
        }

        return false;
    }
}
