namespace Ripcord.Grains.Durability;

/// <summary>What an outbox entry carries. Stored as its number, which PostgreSQL's storage write reads (History 2, Index 3): never renumber.</summary>
public enum OutboxKind
{
    /// <summary>A message to another grain (<see cref="OutboxEntry.Target"/>), applied there once.</summary>
    Mail = 0,

    /// <summary>Work for an outbox handler (a push to agents, a webhook), done at least once.</summary>
    Publish = 1,

    /// <summary>An event of the case's history, appended once by its id.</summary>
    History = 2,

    /// <summary>The case's row in the case index, written once by its version.</summary>
    Index = 3,
}
