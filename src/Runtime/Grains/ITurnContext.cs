using Ripcord.Contracts;

namespace Ripcord.Runtime;

/// <summary>
/// What a handler may do besides returning new state. Nothing recorded here happens until the turn commits,
/// and then all of it happens together with the new state, in one store commit.
/// </summary>
public interface ITurnContext
{
    /// <summary>The grain whose turn this is.</summary>
    GrainId Self { get; }

    /// <summary>The time of the turn, from the runtime's <see cref="TimeProvider"/>; constant within a turn.</summary>
    DateTimeOffset Now { get; }

    /// <summary>The message being handled.</summary>
    Envelope Message { get; }

    /// <summary>Sends a one-way message; it is enqueued when this turn commits.</summary>
    void Send(GrainId target, object message);

    /// <summary>Answers the message being handled, if its sender asked. Ignored for one-way messages.</summary>
    void Reply(object reply);

    /// <summary>Sets (or moves) the reminder <paramref name="name"/>; when due, <paramref name="message"/> arrives in this grain's mailbox.</summary>
    void SetReminder(string name, DateTimeOffset dueAt, object message);

    /// <summary>Clears a reminder. A cleared reminder never arrives, even if it was already due and queued.</summary>
    void ClearReminder(string name);

    /// <summary>Appends an event to the case's history.</summary>
    void AppendHistory(HistoryEvent historyEvent);

    /// <summary>Publishes an item for an outbox handler (I/O done outside the turn: webhooks, pushes to agents).</summary>
    void Publish(string topic, object payload);
}
