namespace Ripcord.Grains.Durability;

/// <summary>What an outbox entry carries.</summary>
public enum OutboxKind
{
    /// <summary>A message to another grain (<see cref="OutboxEntry.Target"/>), applied there once.</summary>
    Mail,

    /// <summary>Work for an outbox handler (a push to agents, a webhook), done at least once.</summary>
    Publish,

    /// <summary>An event of the case's history, appended once by its id.</summary>
    History,

    /// <summary>The case's row in the case index, written once by its version.</summary>
    Index,
}
