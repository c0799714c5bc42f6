using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage.InMemory;

/// <summary>
/// The case index of the embedded silo and of tests. Everything sits under one lock: ordered sets give keyset pages
/// and the change feed a seek instead of a scan, and counts by status are kept as rows change, so a page costs the
/// same with ten cases as with a million. Change sequences are assigned under the lock, so they grow in the order
/// changes become visible and a feed reader never skips one.
/// </summary>
public sealed class InMemoryCaseIndex : ICaseIndex
{
    private const int ReadAllBatch = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CaseIndexEntry> _rows = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<CaseStatus, SortedSet<string>> _idsByStatus = [];
    private readonly Dictionary<CaseStatus, int> _counts = [];
    private readonly SortedSet<long> _changes = [];
    private readonly Dictionary<long, string> _changedCase = [];
    private readonly Pulse _changed = new();
    private readonly TimeProvider _timeProvider;
    private long _lastChange;

    public InMemoryCaseIndex()
        : this(TimeProvider.System)
    {
    }

    /// <param name="timeProvider">The clock wait timeouts are measured on (a fake one in tests).</param>
    public InMemoryCaseIndex(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    public ValueTask UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.CaseId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_rows.TryGetValue(entry.CaseId, out var stored))
            {
                if (stored.Version >= entry.Version)
                {
                    return ValueTask.CompletedTask;
                }

                _changes.Remove(stored.ChangeSequence);
                _changedCase.Remove(stored.ChangeSequence);
                if (stored.Status != entry.Status)
                {
                    IdsOf(stored.Status).Remove(stored.CaseId);
                    _counts[stored.Status]--;
                }
            }

            if (stored is null || stored.Status != entry.Status)
            {
                IdsOf(entry.Status).Add(entry.CaseId);
                _counts[entry.Status] = _counts.GetValueOrDefault(entry.Status) + 1;
            }

            var row = entry with { ChangeSequence = ++_lastChange };
            _rows[row.CaseId] = row;
            _ids.Add(row.CaseId);
            _changes.Add(row.ChangeSequence);
            _changedCase[row.ChangeSequence] = row.CaseId;
        }

        _changed.Fire();
        return ValueTask.CompletedTask;
    }

    public ValueTask<CaseIndexEntry?> GetAsync(string caseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        lock (_gate)
        {
            return ValueTask.FromResult(_rows.GetValueOrDefault(caseId));
        }
    }

    public ValueTask<CasePage> QueryAsync(CaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var page = ImmutableArray.CreateBuilder<CaseIndexEntry>(Math.Min(query.Limit, 1024));
        string? next = null;
        ImmutableDictionary<CaseStatus, int> counts;
        lock (_gate)
        {
            var ids = query.Status is { } status ? IdsOf(status) : _ids;
            foreach (var id in After(ids, query.After))
            {
                var row = _rows[id];
                if (query.Process is not null && !string.Equals(row.Process, query.Process, StringComparison.Ordinal))
                {
                    continue;
                }

                if (page.Count == query.Limit)
                {
                    next = page[^1].CaseId;
                    break;
                }

                page.Add(row);
            }

            counts = _counts.Where(c => c.Value > 0).ToImmutableDictionary();
        }

        return ValueTask.FromResult(new CasePage(page.ToImmutable(), next, counts));
    }

    public async IAsyncEnumerable<CaseIndexEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Batches keep the lock short; a row changed between batches is seen in its newer form, as in the database.
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<CaseIndexEntry>(ReadAllBatch);
            lock (_gate)
            {
                foreach (var id in After(_ids, after))
                {
                    batch.Add(_rows[id]);
                    if (batch.Count == ReadAllBatch)
                    {
                        break;
                    }
                }
            }

            foreach (var row in batch)
            {
                yield return row;
            }

            if (batch.Count < ReadAllBatch)
            {
                yield break;
            }

            after = batch[^1].CaseId;
            await Task.Yield();
        }
    }

    public ValueTask<IReadOnlyList<CaseIndexEntry>> ReadChangesAsync(long afterChangeSequence, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var rows = new List<CaseIndexEntry>(Math.Min(max, 1024));
        lock (_gate)
        {
            if (afterChangeSequence < _lastChange)
            {
                // A row appears once, under its latest change: the changes it had before are gone from the log.
                foreach (var sequence in _changes.GetViewBetween(afterChangeSequence + 1, _lastChange))
                {
                    rows.Add(_rows[_changedCase[sequence]]);
                    if (rows.Count == max)
                    {
                        break;
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<CaseIndexEntry>>(rows);
    }

    public ValueTask<long> LastChangeSequenceAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_lastChange);
        }
    }

    public async Task WaitForChangeAsync(long afterChangeSequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Pulse.DeadlineOf(timeout, _timeProvider);
        while (true)
        {
            var next = _changed.Next;
            lock (_gate)
            {
                if (_lastChange > afterChangeSequence)
                {
                    return;
                }
            }

            if (!await Pulse.WaitAsync(next, deadline, _timeProvider, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static IEnumerable<string> After(SortedSet<string> ids, string? after)
    {
        if (after is null)
        {
            return ids;
        }

        if (ids.Count == 0 || string.CompareOrdinal(after, ids.Max) >= 0)
        {
            return [];
        }

        // The view starts at the first id at or above the cursor; the cursor itself was on the previous page.
        return ids.GetViewBetween(after, ids.Max!).SkipWhile(id => string.Equals(id, after, StringComparison.Ordinal));
    }

    private SortedSet<string> IdsOf(CaseStatus status)
    {
        if (!_idsByStatus.TryGetValue(status, out var ids))
        {
            ids = new SortedSet<string>(StringComparer.Ordinal);
            _idsByStatus[status] = ids;
        }

        return ids;
    }
}
