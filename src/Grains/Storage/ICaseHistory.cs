using Ripcord.Contracts;

namespace Ripcord.Grains.Storage;

/// <summary>
/// Cases' histories, kept beside the grains' state so that a turn's write does not grow with its case's
/// history. The grains of one case append concurrently; the history gives each event its sequence (1-based, gap
/// free per case) in the order appends commit. Events are never removed or reordered; the one change to a stored
/// event is <see cref="RedactAsync"/>, which erases the payloads of its detail (data minimization).
/// </summary>
public interface ICaseHistory
{
    /// <summary>
    /// Appends events of one case. Each carries an id unique within its case; an event whose id is already stored is
    /// skipped, so a retried append has one effect.
    /// </summary>
    ValueTask AppendAsync(string caseId, IReadOnlyList<PendingHistoryEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Redacts every event of the case by <see cref="HistoryRedaction"/>, and every event appended to it from now on.
    /// Idempotent; the events, their order and their sequences stay.
    /// </summary>
    ValueTask RedactAsync(string caseId, bool keepSnapshots, CancellationToken cancellationToken);

    /// <summary>Events with a sequence above <paramref name="afterSequence"/>, in order, at most <paramref name="max"/>.</summary>
    ValueTask<IReadOnlyList<HistoryEvent>> ReadAsync(string caseId, long afterSequence, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Completes when events may have been appended to <paramref name="caseId"/> after <paramref name="afterSequence"/>
    /// (from any silo sharing the history), or when <paramref name="timeout"/> passes. A hint: read to know.
    /// </summary>
    Task WaitForAppendAsync(string caseId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken);
}
