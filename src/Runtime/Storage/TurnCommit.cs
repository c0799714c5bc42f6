using Ripcord.Contracts;

namespace Ripcord.Runtime.Storage;

/// <summary>
/// Everything one turn produced, committed by the store as one unit: either all of it becomes durable
/// or none of it does.
/// </summary>
public sealed class TurnCommit
{
    public TurnCommit(GrainId grain)
    {
        Grain = grain;
    }

    public GrainId Grain { get; }

    /// <summary>The activation's fencing token; a commit from a stale epoch fails with <see cref="StaleEpochException"/>.</summary>
    public long Epoch { get; set; }

    /// <summary>The state version the turn started from; the commit fails if the stored version differs.</summary>
    public long ExpectedVersion { get; set; }

    /// <summary>The new state, when <see cref="StateChanged"/>.</summary>
    public object? State { get; set; }

    public bool StateChanged { get; set; }

    /// <summary>Ids of the mailbox messages this turn handled (or dead-lettered); they leave the mailbox in this commit.</summary>
    public List<long> Handled { get; } = [];

    public List<Envelope> Outgoing { get; } = [];

    public List<ReminderChange> Reminders { get; } = [];

    public List<HistoryEvent> History { get; } = [];

    public List<GrainReply> Replies { get; } = [];

    public List<OutboxItem> Outbox { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    public bool IsEmpty =>
        !StateChanged && Handled.Count == 0 && Outgoing.Count == 0 && Reminders.Count == 0 && History.Count == 0
        && Replies.Count == 0 && Outbox.Count == 0 && DeadLetters.Count == 0;

    internal void Clear()
    {
        State = null;
        StateChanged = false;
        Handled.Clear();
        Outgoing.Clear();
        Reminders.Clear();
        History.Clear();
        Replies.Clear();
        Outbox.Clear();
        DeadLetters.Clear();
    }
}
