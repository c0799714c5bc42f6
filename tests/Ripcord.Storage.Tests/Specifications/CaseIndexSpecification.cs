using Microsoft.Extensions.Time.Testing;
using Ripcord.Contracts;
using Ripcord.Grains.Storage;
using static Ripcord.Storage.Tests.Samples;

namespace Ripcord.Storage.Tests.Specifications;

/// <summary>What every <see cref="ICaseIndex"/> does, run against each implementation.</summary>
public abstract class CaseIndexSpecification : IAsyncLifetime
{
    private ICaseIndex? _index;

    protected ICaseIndex Index => _index ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync() => _index = await CreateAsync(TimeProvider.System);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new, empty index whose waits measure time on <paramref name="timeProvider"/>.</summary>
    protected abstract Task<ICaseIndex> CreateAsync(TimeProvider timeProvider);

    /// <summary>The index <see cref="Index"/> works on, as another process (another silo) sees it.</summary>
    protected abstract Task<ICaseIndex> OtherProcessAsync(TimeProvider timeProvider);

    /// <summary>
    /// The changes after <paramref name="after"/> once at least <paramref name="count"/> can be read, waiting on the
    /// index as the live feed does (a change may show a moment after its upsert returned); fails after 10 s.
    /// </summary>
    protected async Task<IReadOnlyList<CaseIndexEntry>> ChangesAsync(long after, int count, int max = 1000)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var changes = await Index.ReadChangesAsync(after, max, default);
            if (changes.Count >= count)
            {
                return changes;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{changes.Count} of {count} changes readable after 10 s.");
            await Index.WaitForChangeAsync(changes.Count > 0 ? changes[^1].ChangeSequence : after, TimeSpan.FromSeconds(1), default);
        }
    }

    [Fact]
    public async Task Upsert_then_get_returns_the_row_with_a_change_sequence()
    {
        var entry = Entry("c-1", status: CaseStatus.Completed);
        await Index.UpsertAsync(entry, default);

        var stored = await Index.GetAsync("c-1", default);

        AssertSameRow(entry, stored);
        Assert.True(stored!.ChangeSequence > 0);
        Assert.Null(await Index.GetAsync("c-2", default));
        Assert.Null(await Index.GetAsync("C-1", default));
    }

    [Fact]
    public async Task An_upsert_at_or_below_the_stored_version_changes_nothing()
    {
        await Index.UpsertAsync(Entry("c", version: 5, status: CaseStatus.Cancelling), default);
        var before = await Index.GetAsync("c", default);

        await Index.UpsertAsync(Entry("c", version: 5, status: CaseStatus.Completed), default);
        await Index.UpsertAsync(Entry("c", version: 4, status: CaseStatus.Failed), default);

        var after = await Index.GetAsync("c", default);
        AssertSameRow(Entry("c", version: 5, status: CaseStatus.Cancelling), after);
        Assert.Equal(before!.ChangeSequence, after!.ChangeSequence);
        Assert.Equal(before.ChangeSequence, await Index.LastChangeSequenceAsync(default));

        await Index.UpsertAsync(Entry("c", version: 6, status: CaseStatus.Cancelled), default);
        var newer = await Index.GetAsync("c", default);
        AssertSameRow(Entry("c", version: 6, status: CaseStatus.Cancelled), newer);
        Assert.True(newer!.ChangeSequence > after.ChangeSequence);
    }

    [Fact]
    public async Task Pages_follow_ordinal_case_id_order_with_a_keyset_cursor()
    {
        string[] ids = ["b", "a", "B", "A", "a1", "a10", "a2", "_", "z", "Z", "0", "09", "9"];
        foreach (var id in ids)
        {
            await Index.UpsertAsync(Entry(id), default);
        }

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await Index.QueryAsync(new CaseQuery { After = after, Limit = 4 }, default);
            Assert.True(page.Cases.Length <= 4);
            seen.AddRange(page.Cases.Select(c => c.CaseId));
            after = page.Next;
            Assert.True(after is null || after == page.Cases[^1].CaseId);
            pages++;
        }
        while (after is not null);

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_row_has_no_next_cursor()
    {
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await Index.UpsertAsync(Entry(id), default);
        }

        var first = await Index.QueryAsync(new CaseQuery { Limit = 2 }, default);
        Assert.Equal("b", first.Next);
        var second = await Index.QueryAsync(new CaseQuery { Limit = 2, After = first.Next }, default);
        Assert.Equal(["c", "d"], second.Cases.Select(c => c.CaseId));
        Assert.Null(second.Next);

        var beyond = await Index.QueryAsync(new CaseQuery { After = "d" }, default);
        Assert.Empty(beyond.Cases);
        Assert.Null(beyond.Next);

        var between = await Index.QueryAsync(new CaseQuery { After = "bb", Limit = 10 }, default);
        Assert.Equal(["c", "d"], between.Cases.Select(c => c.CaseId));
    }

    [Fact]
    public async Task Filters_by_status_and_process_page_too_and_counts_cover_every_case()
    {
        for (var i = 0; i < 30; i++)
        {
            var status = (i % 3) switch { 0 => CaseStatus.Running, 1 => CaseStatus.Cancelled, _ => CaseStatus.Completed };
            await Index.UpsertAsync(Entry($"case-{i:D2}", status: status, process: i % 2 == 0 ? "even" : "odd"), default);
        }

        var running = new List<string>();
        string? after = null;
        do
        {
            var page = await Index.QueryAsync(new CaseQuery { Status = CaseStatus.Running, After = after, Limit = 3 }, default);
            Assert.All(page.Cases, c => Assert.Equal(CaseStatus.Running, c.Status));
            Assert.Equal(10, page.Counts[CaseStatus.Running]);
            Assert.Equal(10, page.Counts[CaseStatus.Cancelled]);
            Assert.Equal(10, page.Counts[CaseStatus.Completed]);
            Assert.False(page.Counts.ContainsKey(CaseStatus.Failed));
            running.AddRange(page.Cases.Select(c => c.CaseId));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 == 0).Select(i => $"case-{i:D2}"), running);

        var evenCancelled = await Index.QueryAsync(new CaseQuery { Status = CaseStatus.Cancelled, Process = "even", Limit = 100 }, default);
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 == 1 && i % 2 == 0).Select(i => $"case-{i:D2}"), evenCancelled.Cases.Select(c => c.CaseId));
        Assert.Null(evenCancelled.Next);

        var odd = await Index.QueryAsync(new CaseQuery { Process = "odd", After = "case-20", Limit = 100 }, default);
        Assert.Equal(["case-21", "case-23", "case-25", "case-27", "case-29"], odd.Cases.Select(c => c.CaseId));

        // A case changing status moves between the counts.
        await Index.UpsertAsync(Entry("case-00", version: 2, status: CaseStatus.Failed), default);
        var counts = (await Index.QueryAsync(new CaseQuery { Limit = 1 }, default)).Counts;
        Assert.Equal(9, counts[CaseStatus.Running]);
        Assert.Equal(1, counts[CaseStatus.Failed]);
    }

    [Fact]
    public async Task ReadAll_returns_every_row_once_in_case_id_order_across_batches()
    {
        var ids = Enumerable.Range(0, 620).Select(i => $"r{i * 7919 % 620:D4}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) => await Index.UpsertAsync(Entry(id), ct));

        var all = new List<string>();
        await foreach (var row in Index.ReadAllAsync(default))
        {
            all.Add(row.CaseId);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), all);
    }

    [Fact]
    public async Task The_change_feed_lists_each_case_once_under_its_latest_change()
    {
        Assert.Equal(0, await Index.LastChangeSequenceAsync(default));
        Assert.Empty(await Index.ReadChangesAsync(0, 10, default));

        await Index.UpsertAsync(Entry("a"), default);
        await Index.UpsertAsync(Entry("b"), default);
        await Index.UpsertAsync(Entry("c"), default);
        await Index.UpsertAsync(Entry("a", version: 2, status: CaseStatus.Cancelling), default);

        var changes = await ChangesAsync(0, 3, max: 10);
        Assert.Equal(["b", "c", "a"], changes.Select(c => c.CaseId));
        Assert.Equal(CaseStatus.Cancelling, changes[^1].Status);
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.First.ChangeSequence < p.Second.ChangeSequence));
        Assert.Equal(changes[^1].ChangeSequence, await Index.LastChangeSequenceAsync(default));

        var limited = await Index.ReadChangesAsync(0, 2, default);
        Assert.Equal(["b", "c"], limited.Select(c => c.CaseId));
        var rest = await Index.ReadChangesAsync(limited[^1].ChangeSequence, 10, default);
        Assert.Equal(["a"], rest.Select(c => c.CaseId));
        Assert.Empty(await Index.ReadChangesAsync(rest[^1].ChangeSequence, 10, default));
    }

    [Fact]
    public async Task Concurrent_upserts_keep_the_newest_version_and_unique_change_sequences()
    {
        await Parallel.ForEachAsync(Enumerable.Range(1, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await Index.UpsertAsync(Entry("hot", version: i, status: i % 2 == 0 ? CaseStatus.Running : CaseStatus.Cancelling), ct);
            await Index.UpsertAsync(Entry($"cold-{i:D3}"), ct);
        });

        var hot = await Index.GetAsync("hot", default);
        Assert.Equal(200, hot!.Version);
        Assert.Equal(CaseStatus.Running, hot.Status);

        var changes = await ChangesAsync(0, 201);
        Assert.Equal(201, changes.Count);
        Assert.Equal(201, changes.Select(c => c.ChangeSequence).Distinct().Count());
        Assert.Equal(changes.Select(c => c.ChangeSequence).Order(), changes.Select(c => c.ChangeSequence));
    }

    [Fact]
    public async Task A_wait_behind_the_feed_returns_at_once()
    {
        await Index.UpsertAsync(Entry("a"), default);
        await CompletesWithin(Index.WaitForChangeAsync(0, TimeSpan.FromMinutes(5), default), 5);
    }

    [Fact]
    public async Task A_wait_is_woken_by_a_change()
    {
        await Index.UpsertAsync(Entry("a"), default);
        var last = (await ChangesAsync(0, 1))[^1].ChangeSequence;
        Assert.Equal(last, await Index.LastChangeSequenceAsync(default));
        var wait = Index.WaitForChangeAsync(last, TimeSpan.FromMinutes(5), default);
        await StillWaiting(wait);

        // A refused (stale) upsert is not a change.
        await Index.UpsertAsync(Entry("a"), default);
        await StillWaiting(wait);

        await Index.UpsertAsync(Entry("b"), default);
        await CompletesWithin(wait);
    }

    [Fact]
    public async Task A_wait_is_woken_by_another_process_s_change()
    {
        var other = await OtherProcessAsync(TimeProvider.System);
        await other.UpsertAsync(Entry("a"), default);
        var last = (await ChangesAsync(0, 1))[^1].ChangeSequence;

        var wait = Index.WaitForChangeAsync(last, TimeSpan.FromMinutes(5), default);
        await StillWaiting(wait);
        await other.UpsertAsync(Entry("b"), default);
        await CompletesWithin(wait);
        Assert.Equal(["b"], (await ChangesAsync(last, 1)).Select(c => c.CaseId));
    }

    [Fact]
    public async Task A_wait_without_a_change_ends_at_its_timeout()
    {
        var time = new FakeTimeProvider(T0);
        var index = await CreateAsync(time);
        var wait = index.WaitForChangeAsync(0, TimeSpan.FromSeconds(30), default);
        await StillWaiting(wait);

        time.Advance(TimeSpan.FromSeconds(29));
        await StillWaiting(wait);

        time.Advance(TimeSpan.FromSeconds(1));
        await CompletesWithin(wait);
    }

    [Fact]
    public async Task A_cancelled_wait_throws()
    {
        using var cancel = new CancellationTokenSource();
        var wait = Index.WaitForChangeAsync(0, TimeSpan.FromMinutes(5), cancel.Token);
        await StillWaiting(wait);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
