using Microsoft.Extensions.Time.Testing;
using Ripcord.Grains.Storage;
using static Ripcord.Storage.Tests.Samples;

namespace Ripcord.Storage.Tests.Specifications;

/// <summary>What every <see cref="ICaseHistory"/> does, run against each implementation.</summary>
public abstract partial class CaseHistorySpecification : IAsyncLifetime
{
    private ICaseHistory? _history;

    protected ICaseHistory History => _history ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync() => _history = await CreateAsync(TimeProvider.System);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new, empty history whose waits measure time on <paramref name="timeProvider"/>.</summary>
    protected abstract Task<ICaseHistory> CreateAsync(TimeProvider timeProvider);

    /// <summary>The history <see cref="History"/> works on, as another process (another silo) sees it.</summary>
    protected abstract Task<ICaseHistory> OtherProcessAsync(TimeProvider timeProvider);

    [Fact]
    public async Task Appends_are_numbered_from_one_in_order_and_read_back_whole()
    {
        var events = Enumerable.Range(0, 6).Select(i => Event("c1", $"case:c1#{i}", second: i)).ToList();
        await History.AppendAsync("c1", events[..4], default);
        await History.AppendAsync("c1", events[4..], default);

        var read = await History.ReadAsync("c1", 0, 100, default);

        Assert.Equal([1L, 2, 3, 4, 5, 6], read.Select(e => e.Sequence));
        for (var i = 0; i < events.Count; i++)
        {
            AssertSameEvent(events[i].Event, read[i]);
        }

        Assert.Equal([3L, 4], (await History.ReadAsync("c1", 2, 2, default)).Select(e => e.Sequence));
        Assert.Empty(await History.ReadAsync("c1", 6, 10, default));
        Assert.Empty(await History.ReadAsync("other", 0, 10, default));
    }

    [Fact]
    public async Task Each_case_has_its_own_sequence()
    {
        await History.AppendAsync("a", [Event("a", "a#1"), Event("a", "a#2")], default);
        await History.AppendAsync("b", [Event("b", "b#1")], default);
        await History.AppendAsync("A", [Event("A", "a#1")], default);

        Assert.Equal([1L, 2], (await History.ReadAsync("a", 0, 10, default)).Select(e => e.Sequence));
        Assert.Equal([1L], (await History.ReadAsync("b", 0, 10, default)).Select(e => e.Sequence));
        Assert.Equal(["A"], (await History.ReadAsync("A", 0, 10, default)).Select(e => e.CaseId));
    }

    [Fact]
    public async Task A_retried_append_has_one_effect_and_new_events_continue_without_a_gap()
    {
        await History.AppendAsync("c", [Event("c", "e1", "one"), Event("c", "e2", "two")], default);
        await History.AppendAsync("c", [Event("c", "e1", "one"), Event("c", "e2", "two")], default);
        await History.AppendAsync("c", [Event("c", "e2", "two"), Event("c", "e3", "three"), Event("c", "e3", "three again"), Event("c", "e4", "four")], default);
        await History.AppendAsync("c", [], default);

        var read = await History.ReadAsync("c", 0, 100, default);
        Assert.Equal([1L, 2, 3, 4], read.Select(e => e.Sequence));
        Assert.Equal(["one", "two", "three", "four"], read.Select(e => e.Type));
    }

    [Fact]
    public async Task Concurrent_appends_to_one_case_get_gap_free_sequences()
    {
        const int Writers = 8;
        const int AppendsEach = 20;
        var start = new TaskCompletionSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < AppendsEach; i++)
            {
                await History.AppendAsync("hot", [Event("hot", $"w{w}#{i}a", $"w{w}#{i}a"), Event("hot", $"w{w}#{i}b", $"w{w}#{i}b")], default);
            }
        })).ToList();

        // The same events again from a second set of writers at the same time: each is stored once.
        var retries = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < AppendsEach; i++)
            {
                await History.AppendAsync("hot", [Event("hot", $"w{w}#{i}b", $"w{w}#{i}b"), Event("hot", $"w{w}#{i}a", $"w{w}#{i}a")], default);
            }
        })).ToList();

        start.SetResult();
        await Task.WhenAll([.. writers, .. retries]);

        var read = await History.ReadAsync("hot", 0, 10_000, default);
        Assert.Equal(Enumerable.Range(1, Writers * AppendsEach * 2).Select(i => (long)i), read.Select(e => e.Sequence));
        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, AppendsEach).SelectMany(i => new[] { $"w{w}#{i}a", $"w{w}#{i}b" }));
        Assert.Equal(expected.Order(StringComparer.Ordinal), read.Select(e => e.Type).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The task grains of a cancelled case append at the same moment: every append gets consecutive sequences for its
    /// events, in its order, whichever appends went to the store together.
    /// </summary>
    [Fact]
    public async Task Appends_arriving_together_each_keep_their_events_consecutive_and_in_order()
    {
        const int Callers = 50;
        var start = new TaskCompletionSource();
        var callers = Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            await start.Task;
            await History.AppendAsync("burst", [Event("burst", $"c{c}-1", $"c{c}"), Event("burst", $"c{c}-2", $"c{c}"), Event("burst", $"c{c}-3", $"c{c}")], default);
        })).ToList();

        start.SetResult();
        await Task.WhenAll(callers);

        var read = await History.ReadAsync("burst", 0, 10_000, default);
        Assert.Equal(Enumerable.Range(1, Callers * 3).Select(i => (long)i), read.Select(e => e.Sequence));
        foreach (var group in read.Chunk(3))
        {
            Assert.Single(group.Select(e => e.Type).Distinct());
        }

        Assert.Equal(Callers, read.Select(e => e.Type).Distinct().Count());
    }

    /// <summary>
    /// Many cases' grains append at the same moment: each case gets its own
    /// gap-free sequence, with each append's events consecutive and in order.
    /// </summary>
    [Fact]
    public async Task Appends_to_many_cases_at_once_each_keep_their_case_s_order()
    {
        const int Cases = 40;
        const int AppendsEach = 5;
        var start = new TaskCompletionSource();
        var callers = Enumerable.Range(0, Cases).Select(c => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < AppendsEach; i++)
            {
                await History.AppendAsync($"many-{c}", [Event($"many-{c}", $"{c}#{i}a", $"{i}a"), Event($"many-{c}", $"{c}#{i}b", $"{i}b")], default);
            }
        })).ToList();

        start.SetResult();
        await Task.WhenAll(callers);

        var expected = Enumerable.Range(0, AppendsEach).SelectMany(i => new[] { $"{i}a", $"{i}b" }).ToList();
        for (var c = 0; c < Cases; c++)
        {
            var read = await History.ReadAsync($"many-{c}", 0, 100, default);
            Assert.Equal(Enumerable.Range(1, AppendsEach * 2).Select(i => (long)i), read.Select(e => e.Sequence));
            Assert.Equal(expected, read.Select(e => e.Type));
            Assert.All(read, e => Assert.Equal($"many-{c}", e.CaseId));
        }
    }

    [Fact]
    public async Task A_wait_behind_the_history_returns_at_once()
    {
        await History.AppendAsync("c", [Event("c", "e1")], default);
        await CompletesWithin(History.WaitForAppendAsync("c", 0, TimeSpan.FromMinutes(5), default), 5);
    }

    [Fact]
    public async Task A_wait_is_woken_by_an_append_to_its_case_only()
    {
        await History.AppendAsync("c", [Event("c", "e1")], default);
        var wait = History.WaitForAppendAsync("c", 1, TimeSpan.FromMinutes(5), default);
        await StillWaiting(wait);

        await History.AppendAsync("other", [Event("other", "e1")], default);
        await History.AppendAsync("c", [Event("c", "e1")], default);
        await StillWaiting(wait);

        await History.AppendAsync("c", [Event("c", "e2")], default);
        await CompletesWithin(wait);
    }

    [Fact]
    public async Task A_wait_is_woken_by_another_process_s_append()
    {
        var other = await OtherProcessAsync(TimeProvider.System);
        await other.AppendAsync("c", [Event("c", "e1")], default);
        Assert.Single(await History.ReadAsync("c", 0, 10, default));

        var wait = History.WaitForAppendAsync("c", 1, TimeSpan.FromMinutes(5), default);
        await StillWaiting(wait);
        await other.AppendAsync("c", [Event("c", "e2"), Event("c", "e3")], default);
        await CompletesWithin(wait);
        Assert.Equal([2L, 3], (await History.ReadAsync("c", 1, 10, default)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_wait_without_an_append_ends_at_its_timeout()
    {
        var time = new FakeTimeProvider(T0);
        var history = await CreateAsync(time);
        var wait = history.WaitForAppendAsync("quiet", 0, TimeSpan.FromSeconds(20), default);
        await StillWaiting(wait);

        time.Advance(TimeSpan.FromSeconds(19));
        await history.AppendAsync("noisy", [Event("noisy", "e1")], default);
        await StillWaiting(wait);

        time.Advance(TimeSpan.FromSeconds(1));
        await CompletesWithin(wait);
    }

    [Fact]
    public async Task A_cancelled_wait_throws()
    {
        using var cancel = new CancellationTokenSource();
        var wait = History.WaitForAppendAsync("c", 0, TimeSpan.FromMinutes(5), cancel.Token);
        await StillWaiting(wait);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
