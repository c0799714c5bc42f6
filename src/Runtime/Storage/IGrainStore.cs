using Ripcord.Contracts;

namespace Ripcord.Runtime.Storage;

/// <summary>
/// Where grains live: state with versions, mailboxes, reminders, history, dead letters and outbox. The in-memory
/// store is the embedded default; the PostgreSQL store shares all of it between silos.
/// </summary>
public interface IGrainStore : IAsyncDisposable
{
    /// <summary>Prepares the store (schema, connections) and starts telling <paramref name="listener"/> what becomes durable.</summary>
    ValueTask StartAsync(IStoreListener listener, CancellationToken cancellationToken);

    /// <summary>Stops telling the listener and lets go of what this silo holds (leases are handed back).</summary>
    ValueTask StopAsync(CancellationToken cancellationToken);

    /// <summary>Appends messages from outside any turn; durable when the call returns. Assigns ids.</summary>
    ValueTask EnqueueAsync(IReadOnlyList<Envelope> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the grain's lease for this silo and loads its state. Returns null when another live silo holds the grain.
    /// </summary>
    ValueTask<GrainSnapshot?> ActivateAsync(GrainId grain, CancellationToken cancellationToken);

    /// <summary>Hands the grain's lease back, if <paramref name="epoch"/> is still current.</summary>
    ValueTask DeactivateAsync(GrainId grain, long epoch, CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="max"/> of the grain's oldest messages into <paramref name="into"/>, in order.</summary>
    ValueTask<int> ReadMailboxAsync(GrainId grain, long epoch, List<Envelope> into, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Commits a turn as one unit and returns the new state version. Throws <see cref="StaleEpochException"/> when
    /// the epoch or version is stale; then nothing was written.
    /// </summary>
    ValueTask<long> CommitAsync(TurnCommit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves every reminder due at <paramref name="now"/> into its grain's mailbox and returns when the next one is due.
    /// </summary>
    ValueTask<DateTimeOffset?> FireDueRemindersAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Grains that have messages waiting and no live owner other than this silo: used at start and by polling.</summary>
    ValueTask<IReadOnlyList<GrainId>> FindGrainsWithMessagesAsync(int max, CancellationToken cancellationToken);

    /// <summary>Marks outbox items as handled.</summary>
    ValueTask CompleteOutboxAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);

    /// <summary>Reads a case's history after <paramref name="afterSequence"/>.</summary>
    ValueTask<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string caseId, long afterSequence, int max, CancellationToken cancellationToken);

    /// <summary>Reads dead letters, newest last.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(int max, CancellationToken cancellationToken);

    /// <summary>True when other processes share the store, so the runtime must also poll for work it was not told about.</summary>
    bool IsShared { get; }

    /// <summary>Reads a grain's committed state without activating it (for queries); null when it has none.</summary>
    ValueTask<GrainSnapshot?> ReadStateAsync(GrainId grain, CancellationToken cancellationToken);
}
