using Ripcord.Contracts;

namespace Ripcord.Grains.Storage;

/// <summary>
/// One case's row in the case index: what lists, counts, metrics and the live feed need, written by the case grain
/// whenever its summary changes. <see cref="Version"/> grows with every write of the case, so an older row never
/// replaces a newer one.
/// </summary>
public sealed record CaseIndexEntry
{
    public required string CaseId { get; init; }

    public required string Process { get; init; }

    public CaseStatus Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>True while a Cancel Case request on it carries a confirmation hold (or carried one).</summary>
    public bool HadHold { get; init; }

    public CaseMeasures Measures { get; init; } = CaseMeasures.Empty;

    /// <summary>The case grain's own counter; an upsert with a version at or below the stored one changes nothing.</summary>
    public long Version { get; init; }

    /// <summary>
    /// Assigned by the index on every accepted upsert, unique across all cases (the live feed's cursor): the feed lists
    /// changes in this order and never finds a lower one after a higher one was read.
    /// </summary>
    public long ChangeSequence { get; init; }

    public CaseSummary ToSummary() => new()
    {
        CaseId = CaseId,
        Process = Process,
        Status = Status,
        CreatedAt = CreatedAt,
        EndedAt = EndedAt,
    };
}
