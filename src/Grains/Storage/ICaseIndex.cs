namespace Ripcord.Grains.Storage;

/// <summary>
/// The case index (visibility): one row per case, written by its case grain, read with keyset paging. Orleans has
/// no query over grains, so every list, count and metric reads this instead of the grains.
/// </summary>
public interface ICaseIndex
{
    /// <summary>Inserts or replaces the case's row when <see cref="CaseIndexEntry.Version"/> is newer than the stored one. Idempotent.</summary>
    ValueTask UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken);

    ValueTask<CaseIndexEntry?> GetAsync(string caseId, CancellationToken cancellationToken);

    ValueTask<CasePage> QueryAsync(CaseQuery query, CancellationToken cancellationToken);

    /// <summary>Every row, in case id order, in batches (metrics).</summary>
    IAsyncEnumerable<CaseIndexEntry> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Rows changed after <paramref name="afterChangeSequence"/>, oldest change first (the live feed). A change may show
    /// a moment after its upsert returned (while an older write elsewhere is still open), never out of order.
    /// </summary>
    ValueTask<IReadOnlyList<CaseIndexEntry>> ReadChangesAsync(long afterChangeSequence, int max, CancellationToken cancellationToken);

    /// <summary>The newest change sequence the feed can read (0 when none): where a new live feed starts.</summary>
    ValueTask<long> LastChangeSequenceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Completes when a row may have changed after <paramref name="afterChangeSequence"/> (from any silo sharing the
    /// index), or when <paramref name="timeout"/> passes. A wake-up is a hint: read the changes to know.
    /// </summary>
    Task WaitForChangeAsync(long afterChangeSequence, TimeSpan timeout, CancellationToken cancellationToken);
}
