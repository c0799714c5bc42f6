namespace Ripcord.Grains.Storage;

/// <summary>
/// A store whose grain storage writes a record's history events and case index row in the same transaction that
/// stores the record (PostgreSQL). A grain on it marks its records so (<c>RowsStored</c>), never appends or upserts
/// those rows itself, and only announces them once the write is done, so waiters on every silo hear of them.
/// Without one registered, a grain appends and upserts them through <see cref="ICaseHistory"/> and
/// <see cref="ICaseIndex"/> after its write.
/// </summary>
public interface IRowsWithState
{
    /// <summary>
    /// Tells waiters on every silo that a written record stored rows of <paramref name="caseId"/>: history events
    /// (<paramref name="history"/>), its index row (<paramref name="index"/>, the row stored), or both. Best effort
    /// (waits also time out and read); returns at once and never throws.
    /// </summary>
    void Announce(string caseId, bool history, CaseIndexEntry? index);
}
