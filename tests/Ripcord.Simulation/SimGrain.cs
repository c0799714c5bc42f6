namespace Ripcord.Simulation;

/// <summary>A message that reaches a grain: a command (neither mail nor deadline), a mail, or a fired deadline.</summary>
internal sealed record Arrival(object Message, Mail? Mail = null, Deadline? Deadline = null);

/// <summary>One message a turn applied: the state before and after it, the outbox entries and the reply it made.</summary>
internal sealed record TurnStep(object Message, object Before, object After, IReadOnlyList<OutboxEntry> Added, object? Reply);

/// <summary>
/// What one simulated turn did: whether it was written, and each message it applied. <see cref="Admitted"/> says,
/// per message of the group, whether the turn applied it (not mail it had applied before).
/// </summary>
internal sealed record TurnResult(bool Written, IReadOnlyList<bool> Admitted, IReadOnlyList<TurnStep> Steps)
{
    /// <summary>The answer to a command (a turn of its own).</summary>
    public object? Reply => Steps.Count == 0 ? null : Steps[^1].Reply;
}

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

    /// <summary>Applies messages in one turn, one after the other, as a group written once; with <paramref name="crash"/> the activation dies before the write.</summary>
    TurnResult Turn(IReadOnlyList<Arrival> group, DateTimeOffset now, bool crash);
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

    public TurnResult Turn(IReadOnlyList<Arrival> group, DateTimeOffset now, bool crash)
    {
        var before = Record;
        var turns = new TurnGroup<TState>(Key, before, _delivered, now);
        var admitted = new bool[group.Count];
        var steps = new List<TurnStep>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            if (turns.Admit(group[i].Message, group[i].Mail, group[i].Deadline) is { } message)
            {
                admitted[i] = true;
                var (state, added) = (turns.State, turns.Added.Count);
                var reply = turns.Apply(decide(state, message, now));
                steps.Add(new TurnStep(message, state, turns.State, turns.Added.Skip(added).ToList(), reply));
            }
        }

        var next = turns.Finish(static (_, _, _) => null);
        if (crash)
        {
            Crash();
            return new TurnResult(false, new bool[group.Count], []);
        }

        if (next is not null)
        {
            Record = next;
            _delivered.RemoveWhere(s => !Contains(next.Outbox, s));
        }

        return new TurnResult(next is not null, admitted, steps);
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
