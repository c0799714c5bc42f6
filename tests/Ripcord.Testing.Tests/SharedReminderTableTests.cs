using Ripcord.Testing.Orleans;

namespace Ripcord.Testing.Tests;

public sealed class SharedReminderTableTests
{
    private readonly SharedReminderTable _table = new();

    [Fact]
    public async Task Upsert_returns_a_new_etag_each_time_and_read_row_returns_a_copy()
    {
        var grain = GrainId.Create("probe", "r1");
        var first = await _table.UpsertRow(Entry(grain, "tick"));
        var second = await _table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(2)));

        Assert.NotEqual(first, second);
        var row = (await _table.ReadRow(grain, "tick"))!;
        Assert.Equal(second, row.ETag);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);

        row.Period = TimeSpan.FromHours(1);
        Assert.Equal(TimeSpan.FromMinutes(2), (await _table.ReadRow(grain, "tick"))!.Period);
        Assert.Null(await _table.ReadRow(grain, "missing"));
        Assert.Equal(1, _table.Count);
    }

    [Fact]
    public async Task Remove_needs_the_current_etag()
    {
        var grain = GrainId.Create("probe", "r2");
        var stale = (await _table.UpsertRow(Entry(grain, "tick")))!;
        var current = (await _table.UpsertRow(Entry(grain, "tick")))!;

        Assert.False(await _table.RemoveRow(grain, "tick", stale));
        Assert.False(await _table.RemoveRow(grain, "other", current));
        Assert.True(await _table.RemoveRow(grain, "tick", current));
        Assert.False(await _table.RemoveRow(grain, "tick", current));

        Assert.Null(await _table.ReadRow(grain, "tick"));
        Assert.Equal(1, _table.Removes);
        Assert.Equal(3, _table.RemoveConflicts);
    }

    [Fact]
    public async Task Read_rows_by_grain_returns_only_that_grains_reminders()
    {
        var a = GrainId.Create("probe", "a");
        var b = GrainId.Create("probe", "b");
        await _table.UpsertRow(Entry(a, "one"));
        await _table.UpsertRow(Entry(a, "two"));
        await _table.UpsertRow(Entry(b, "one"));

        var rows = await _table.ReadRows(a);

        Assert.Equal(["one", "two"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.All(rows.Reminders, r => Assert.Equal(a, r.GrainId));
    }

    [Fact]
    public async Task Range_reads_exclude_begin_include_end_and_wrap_around_the_ring()
    {
        // Twenty grains ordered by their ring position.
        var byHash = Enumerable.Range(0, 20)
            .Select(i => GrainId.Create("probe", "range-" + i))
            .OrderBy(g => g.GetUniformHashCode())
            .ToArray();
        Assert.Equal(20, byHash.Select(g => g.GetUniformHashCode()).Distinct().Count());
        foreach (var grain in byHash)
        {
            await _table.UpsertRow(Entry(grain, "tick"));
        }

        uint Hash(int i) => byHash[i].GetUniformHashCode();
        async Task<GrainId[]> Range(uint begin, uint end) =>
            (await _table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).OrderBy(g => g.GetUniformHashCode()).ToArray();

        // (hash[5], hash[12]]: 6..12.
        Assert.Equal(byHash[6..13], await Range(Hash(5), Hash(12)));

        // Wrapping, begin above end: (hash[15], max] and [0, hash[3]]: 0..3 and 16..19.
        Assert.Equal(byHash[..4].Concat(byHash[16..]).OrderBy(g => g.GetUniformHashCode()), await Range(Hash(15), Hash(3)));

        // begin == end is the whole ring.
        Assert.Equal(byHash, await Range(Hash(7), Hash(7)));
        Assert.Equal(byHash, await Range(0, 0));

        // The full unsigned span: (0, max] holds all but a hash of exactly 0.
        Assert.Equal(byHash.Where(g => g.GetUniformHashCode() != 0), await Range(0, uint.MaxValue));

        // Between two neighbours: only the upper one.
        Assert.Equal([byHash[10]], await Range(Hash(9), Hash(10)));
        Assert.Equal(6, _table.RangeReads);
    }

    [Theory]
    [InlineData(10u, 20u, 10u, false)]
    [InlineData(10u, 20u, 11u, true)]
    [InlineData(10u, 20u, 20u, true)]
    [InlineData(10u, 20u, 21u, false)]
    [InlineData(20u, 10u, 21u, true)]
    [InlineData(20u, 10u, 10u, true)]
    [InlineData(20u, 10u, 0u, true)]
    [InlineData(20u, 10u, 15u, false)]
    [InlineData(20u, 10u, 20u, false)]
    [InlineData(5u, 5u, 5u, true)]
    [InlineData(5u, 5u, 6u, true)]
    public void In_range_follows_the_reminder_table_contract(uint begin, uint end, uint hash, bool expected) =>
        Assert.Equal(expected, SharedReminderTable.InRange(hash, begin, end));

    [Fact]
    public async Task Clearing_the_table_removes_every_row()
    {
        await _table.UpsertRow(Entry(GrainId.Create("probe", "c1"), "tick"));
        await _table.UpsertRow(Entry(GrainId.Create("probe", "c2"), "tick"));

        await _table.TestOnlyClearTable();

        Assert.Equal(0, _table.Count);
        Assert.Empty((await _table.ReadRows(0, 0)).Reminders);
    }

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan? period = null) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc),
        Period = period ?? TimeSpan.FromMinutes(1),
    };
}
