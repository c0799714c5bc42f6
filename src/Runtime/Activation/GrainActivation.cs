using Ripcord.Runtime.Storage;

namespace Ripcord.Runtime;

/// <summary>
/// A grain held in this silo's memory. <see cref="Scheduled"/> is the activation's lifecycle:
/// <list type="bullet">
/// <item><c>0</c> idle: no turn queued or running;</item>
/// <item><c>1</c> scheduled: queued for a worker, running a turn, or waiting out a retry backoff (only one of them);</item>
/// <item><c>2</c> retired: dropped from the cache; a new activation replaces it when a message comes.</item>
/// </list>
/// Whoever moves it from 0 to 1 queues it, so turns of one grain never overlap.
/// </summary>
internal sealed class GrainActivation
{
    public const int Idle = 0;
    public const int Queued = 1;
    public const int Retired = 2;

    public GrainActivation(GrainId id)
    {
        Id = id;
        Commit = new TurnCommit(id);
        Context = new TurnContext(id, Commit);
    }

    public GrainId Id { get; }

    public int Scheduled;

    /// <summary>Set to 1 when the store says new messages may be waiting; cleared before each mailbox read.</summary>
    public int Pending;

    public bool IsActivated;

    public IGrain? Grain;

    public object? State;

    public long Version;

    public long Epoch;

    public long LastActiveTimestamp;

    /// <summary>The message that is failing, and how often it has failed in a row.</summary>
    public long FailingMessageId;

    public int FailedAttempts;

    public readonly List<Envelope> Batch = [];

    public TurnCommit Commit { get; }

    public TurnContext Context { get; }
}
