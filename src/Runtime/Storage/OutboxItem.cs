namespace Ripcord.Runtime.Storage;

/// <summary>
/// An effect outside the store (a webhook call, a push to an agent) that a turn asked for. It is committed with
/// the turn and handed to the <see cref="IOutboxHandler"/> for its topic after the commit, at least once.
/// </summary>
public sealed record OutboxItem(string Topic, GrainId Source, object Payload)
{
    /// <summary>Store-assigned id, 0 until committed.</summary>
    public long Id { get; set; }
}
