using Npgsql;
using Ripcord.Grains.Storage;
using Ripcord.Storage.Tests.Specifications;
using Ripcord.Testing.Postgres;

namespace Ripcord.Storage.Tests.Postgres;

/// <summary>The history specification on PostgreSQL; "another process" has its own pool and LISTEN connection.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseHistoryTests(PostgresFixture fixture) : CaseHistorySpecification
{
    private readonly List<PostgresStoreHarness> _harnesses = [];

    public override async Task DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            await harness.DisposeAsync();
        }
    }

    protected override async Task<ICaseHistory> CreateAsync(TimeProvider timeProvider)
    {
        // Each call is a new, empty history: a schema of its own.
        var harness = await PostgresStoreHarness.CreateAsync(fixture);
        _harnesses.Add(harness);
        return harness.NewProcess(timeProvider).History;
    }

    protected override Task<ICaseHistory> OtherProcessAsync(TimeProvider timeProvider) =>
        Task.FromResult<ICaseHistory>(_harnesses[0].NewProcess(timeProvider).History);

    [Fact]
    public async Task The_history_table_holds_each_event_once_with_its_id()
    {
        await History.AppendAsync("c", [Samples.Event("c", "case:c#1"), Samples.Event("c", "case:c#2")], default);
        await History.AppendAsync("c", [Samples.Event("c", "case:c#2"), Samples.Event("c", "case:c#3")], default);
        var schema = _harnesses[0].Schema;
        var rows = await fixture.ScalarAsync<string>(
            $"SELECT string_agg(sequence || '=' || event_id, ',' ORDER BY sequence) FROM {schema}.ripcord_history WHERE case_id = 'c'");
        Assert.Equal("1=case:c#1,2=case:c#2,3=case:c#3", rows);
        Assert.Equal(3L, await fixture.ScalarAsync<long>($"SELECT last_sequence FROM {schema}.ripcord_history_counter WHERE case_id = 'c'"));
    }

    /// <summary>
    /// Appends of many cases go to PostgreSQL together; one that PostgreSQL refuses (a case id with a NUL character,
    /// which its text cannot hold) fails alone, and the others that went with it are stored. The appends queue behind
    /// a write held up on a lock this test holds, so they go in one round once it is let go.
    /// </summary>
    [Fact]
    public async Task An_append_the_store_refuses_fails_alone_among_those_written_with_it()
    {
        const int Cases = 30;
        var schema = _harnesses[0].Schema;
        await History.AppendAsync("blocker", [Samples.Event("blocker", "k1")], default);
        await using var holder = new NpgsqlConnection(fixture.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM {schema}.ripcord_history_counter WHERE case_id = 'blocker' FOR UPDATE", holder, hold))
        {
            await lockRow.ExecuteScalarAsync();
        }

        var blocked = History.AppendAsync("blocker", [Samples.Event("blocker", "k2")], default).AsTask();
        var good = Enumerable.Range(0, Cases).Select(c => History.AppendAsync($"good-{c}", [Samples.Event($"good-{c}", $"g{c}")], default).AsTask()).ToList();
        var bad = History.AppendAsync("bad\0case", [Samples.Event("bad\0case", "b")], default).AsTask();
        Assert.False(blocked.IsCompleted);
        await hold.RollbackAsync();

        await blocked;
        await Task.WhenAll(good);
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        for (var c = 0; c < Cases; c++)
        {
            Assert.Equal([1L], (await History.ReadAsync($"good-{c}", 0, 10, default)).Select(e => e.Sequence));
        }

        // The refused case left nothing behind, and appends go on as before.
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {schema}.ripcord_history WHERE case_id LIKE 'bad%'"));
        Assert.Equal([1L, 2], (await History.ReadAsync("blocker", 0, 10, default)).Select(e => e.Sequence));
        await History.AppendAsync("good-0", [Samples.Event("good-0", "g0-again")], default);
        Assert.Equal([1L, 2], (await History.ReadAsync("good-0", 0, 10, default)).Select(e => e.Sequence));
    }
}
