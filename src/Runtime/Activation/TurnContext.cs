using Ripcord.Contracts;
using Ripcord.Runtime.Storage;

namespace Ripcord.Runtime;

/// <summary>Collects a turn's effects into its <see cref="TurnCommit"/>; one per activation, reused across turns.</summary>
internal sealed class TurnContext(GrainId self, TurnCommit commit) : ITurnContext
{
    private Envelope? _message;

    public GrainId Self { get; } = self;

    public DateTimeOffset Now { get; private set; }

    public Envelope Message => _message ?? throw new InvalidOperationException("No message is being handled.");

    internal TurnCommit Commit { get; } = commit;

    public void Send(GrainId target, object message) => Commit.Outgoing.Add(new Envelope(target, message, Self));

    public void Reply(object reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (_message?.CorrelationId is { } correlation)
        {
            Commit.Replies.Add(new GrainReply(correlation, reply));
        }
    }

    public void SetReminder(string name, DateTimeOffset dueAt, object message)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(message);
        Commit.Reminders.Add(ReminderChange.Set(name, dueAt, message));
    }

    public void ClearReminder(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Commit.Reminders.Add(ReminderChange.Clear(name));
    }

    public void AppendHistory(HistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        Commit.History.Add(historyEvent);
    }

    public void Publish(string topic, object payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(payload);
        Commit.Outbox.Add(new OutboxItem(topic, Self, payload));
    }

    internal void Begin(Envelope message, DateTimeOffset now)
    {
        _message = message;
        Now = now;
    }

    internal void End() => _message = null;

    internal Mark Save() => new(Commit.Outgoing.Count, Commit.Reminders.Count, Commit.History.Count, Commit.Replies.Count, Commit.Outbox.Count);

    /// <summary>Drops what the failed handler recorded, keeping what earlier messages of the turn produced.</summary>
    internal void Restore(Mark mark)
    {
        Truncate(Commit.Outgoing, mark.Outgoing);
        Truncate(Commit.Reminders, mark.Reminders);
        Truncate(Commit.History, mark.History);
        Truncate(Commit.Replies, mark.Replies);
        Truncate(Commit.Outbox, mark.Outbox);
    }

    private static void Truncate<T>(List<T> list, int count) => list.RemoveRange(count, list.Count - count);

    internal readonly record struct Mark(int Outgoing, int Reminders, int History, int Replies, int Outbox);
}
