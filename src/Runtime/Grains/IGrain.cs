namespace Ripcord.Runtime;

/// <summary>
/// The behaviour of one grain type. A single instance serves every activation of its type: state lives in the
/// activation, not in the grain object, so a handler is a function of (state, message) to new state plus the
/// effects it records on the context. Handlers are synchronous on purpose: I/O belongs outside the turn
/// (outbox handlers), so a turn is short and its commit is the only thing that waits.
/// </summary>
public interface IGrain
{
    /// <summary>The state of a grain that has never committed a turn.</summary>
    object CreateState(GrainId id);

    /// <summary>
    /// Handles one message. Must not mutate <paramref name="state"/> in place: return a new state (or the same
    /// instance when nothing changed). If it throws, everything it recorded on the context is discarded.
    /// </summary>
    object Handle(object state, Envelope message, ITurnContext context);
}
