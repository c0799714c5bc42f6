using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage.InMemory;

/// <summary>The case index of the embedded silo: a sorted map by case id and a change log, under one lock.</summary>
public sealed class InMemoryCaseIndex : ICaseIndex
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, CaseIndexEntry> _byId = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, string> _changes = [];
    private readonly Pulse _changed = new();
    private long _sequence;

    public ValueTask UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_byId.TryGetValue(entry.CaseId, out var stored))
            {
                if (stored.Version >= entry.Version)
                {
                    return ValueTask.CompletedTask;
                }

                _changes.Remove(stored.ChangeSequence);
            }

            var row = entry with { ChangeSequence = ++_sequence };
            _byId[entry.CaseId] = row;
            _changes[row.ChangeSequence] = entry.CaseId;
        }

        _changed.Fire();
        return ValueTask.CompletedTask;
    }

    public ValueTask<CaseIndexEntry?> GetAsync(string caseId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(caseId));
        }
    }

    public ValueTask<CasePage> QueryAsync(CaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = ImmutableArray.CreateBuilder<CaseIndexEntry>(Math.Min(query.Limit, 1000));
        var counts = new Dictionary<CaseStatus, int>();
        string? next = null;
        lock (_gate)
        {
            foreach (var row in _byId.Values)
            {
                counts[row.Status] = counts.GetValueOrDefault(row.Status) + 1;
                if ((query.After is not null && string.CompareOrdinal(row.CaseId, query.After) <= 0)
                    || (query.Status is { } status && row.Status != status)
                    || (query.Process is not null && row.Process != query.Process))
                {
                    continue;
                }

                if (page.Count < query.Limit)
                {
                    page.Add(row);
                }
                else
                {
                    next ??= page[^1].CaseId;
                }
            }
        }

        return ValueTask.FromResult(new CasePage(page.ToImmutable(), next, counts.ToImmutableDictionary()));
    }

    public async IAsyncEnumerable<CaseIndexEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CaseIndexEntry[] rows;
        lock (_gate)
        {
            rows = [.. _byId.Values];
        }

        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<CaseIndexEntry>> ReadChangesAsync(long afterChangeSequence, int max, CancellationToken cancellationToken)
    {
        var rows = new List<CaseIndexEntry>();
        lock (_gate)
        {
            foreach (var (sequence, caseId) in _changes)
            {
                if (sequence <= afterChangeSequence)
                {
                    continue;
                }

                rows.Add(_byId[caseId]);
                if (rows.Count == max)
                {
                    break;
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<CaseIndexEntry>>(rows);
    }

    public ValueTask<long> LastChangeSequenceAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_sequence);
        }
    }

    public Task WaitForChangeAsync(long afterChangeSequence, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var next = _changed.Next;
        lock (_gate)
        {
            if (_sequence > afterChangeSequence)
            {
                return Task.CompletedTask;
            }
        }

        return Pulse.WaitAsync(next, timeout, cancellationToken);
    }
}
