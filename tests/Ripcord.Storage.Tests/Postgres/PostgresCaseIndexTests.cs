using Ripcord.Contracts;
using Ripcord.Grains.Storage;
using Ripcord.Storage.Tests.Specifications;
using Ripcord.Testing.Postgres;
using static Ripcord.Storage.Tests.Samples;

namespace Ripcord.Storage.Tests.Postgres;

/// <summary>The index specification on PostgreSQL; "another process" has its own pool and LISTEN connection.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseIndexTests(PostgresFixture fixture) : CaseIndexSpecification
{
    private readonly List<PostgresStoreHarness> _harnesses = [];
    private PostgresStoreHarness.Process? _main;

    public override async Task DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            await harness.DisposeAsync();
        }
    }

    protected override async Task<ICaseIndex> CreateAsync(TimeProvider timeProvider)
    {
        // Each call is a new, empty index: a schema of its own.
        var harness = await PostgresStoreHarness.CreateAsync(fixture);
        _harnesses.Add(harness);
        var process = harness.NewProcess(timeProvider);
        _main ??= process;
        return process.Index;
    }

    protected override Task<ICaseIndex> OtherProcessAsync(TimeProvider timeProvider) =>
        Task.FromResult<ICaseIndex>(_harnesses[0].NewProcess(timeProvider).Index);

    [Fact]
    public async Task Waits_hear_other_processes_again_after_the_listen_connection_was_cut()
    {
        var other = await OtherProcessAsync(TimeProvider.System);
        await Index.UpsertAsync(Entry("a"), default);
        await CompletesWithin(Index.WaitForChangeAsync(0, TimeSpan.FromMinutes(1), default));
        await Until(() => _main!.Notifications.IsListening);

        await fixture.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ripcord-listen-test'");
        await Until(() => !_main!.Notifications.IsListening);
        await Until(() => _main!.Notifications.IsListening);

        var last = (await ChangesAsync(0, 1))[^1].ChangeSequence;
        var wait = Index.WaitForChangeAsync(last, TimeSpan.FromMinutes(5), default);
        await StillWaiting(wait);
        await other.UpsertAsync(Entry("b"), default);
        await CompletesWithin(wait);
    }

    [Fact]
    public async Task The_feed_holds_at_a_write_that_began_earlier_until_it_ends_so_no_change_appears_behind_it()
    {
        // A writer that took its transaction id first and writes its row last: the classic way a feed ordered by a
        // counter skips a change (the later one is read, the cursor moves past, then the earlier one commits).
        var harness = _harnesses[0];
        await using var dataSource = harness.DataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var slow = await connection.BeginTransactionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_current_xact_id()", connection, slow))
        {
            await take.ExecuteScalarAsync();
        }

        await Index.UpsertAsync(Entry("fast"), default);
        Assert.Empty(await Index.ReadChangesAsync(0, 10, default));
        Assert.Equal(0, await Index.LastChangeSequenceAsync(default));

        await using (var write = new Npgsql.NpgsqlCommand(
            $"INSERT INTO {harness.Schema}.ripcord_case_index (case_id, process, status, created_at, had_hold, measures, version) VALUES ('slow', 'p', 'running', now(), false, '{{}}', 1)",
            connection,
            slow))
        {
            await write.ExecuteNonQueryAsync();
        }

        await slow.CommitAsync();
        var changes = await ChangesAsync(0, 2);
        Assert.Equal(["slow", "fast"], changes.Select(c => c.CaseId));
        Assert.True(changes[0].ChangeSequence < changes[1].ChangeSequence);
    }

    /// <summary>
    /// Upserts queued behind a write held up on a row lock this test holds go in one round once it is let go: one
    /// transaction, each row its own position in it, and a feed that pages through them finds each once, in order.
    /// </summary>
    [Fact]
    public async Task Upserts_that_arrive_together_share_a_transaction_and_the_feed_pages_through_it()
    {
        const int Cases = 30;
        var (blocked, release) = await HoldUpAsync();
        var queued = Enumerable.Range(0, Cases).Select(c => Index.UpsertAsync(Entry($"together-{c:D2}"), default).AsTask()).ToList();
        queued.Add(Index.UpsertAsync(Entry("together-05", version: 3, status: CaseStatus.Cancelling), default).AsTask());
        Assert.False(blocked.IsCompleted);
        await release();
        await blocked;
        await Task.WhenAll(queued);

        var rows = new List<Ripcord.Grains.Storage.CaseIndexEntry>();
        long after = (await Index.GetAsync("blocker", default))!.ChangeSequence;
        while (rows.Count < Cases)
        {
            var page = await ChangesAsync(after, 1, max: 7);
            rows.AddRange(page);
            after = page[^1].ChangeSequence;
        }

        Assert.Equal(Enumerable.Range(0, Cases).Select(c => $"together-{c:D2}"), rows.Select(r => r.CaseId));
        Assert.Equal(Cases, rows.Select(r => r.ChangeSequence).Distinct().Count());
        Assert.Single(rows.Select(r => r.ChangeSequence / 4096).Distinct());
        var newest = rows.Single(r => r.CaseId == "together-05");
        Assert.Equal((3L, CaseStatus.Cancelling), (newest.Version, newest.Status));
    }

    /// <summary>A round with an entry PostgreSQL refuses (a NUL in its process) is written again one by one.</summary>
    [Fact]
    public async Task An_upsert_the_store_refuses_fails_alone_among_those_written_with_it()
    {
        var (blocked, release) = await HoldUpAsync();
        var good = Enumerable.Range(0, 10).Select(c => Index.UpsertAsync(Entry($"good-{c}"), default).AsTask()).ToList();
        var bad = Index.UpsertAsync(Entry("bad", process: "bad\0process"), default).AsTask();
        await release();
        await blocked;
        await Task.WhenAll(good);
        await Assert.ThrowsAnyAsync<Exception>(() => bad);

        for (var c = 0; c < 10; c++)
        {
            Assert.NotNull(await Index.GetAsync($"good-{c}", default));
        }

        Assert.Null(await Index.GetAsync("bad", default));
        await Index.UpsertAsync(Entry("good-0", version: 2, status: CaseStatus.Completed), default);
        Assert.Equal(CaseStatus.Completed, (await Index.GetAsync("good-0", default))!.Status);
    }

    /// <summary>An upsert of case "blocker" held up on its row, locked by this test until it calls the release.</summary>
    private async Task<(Task Blocked, Func<Task> Release)> HoldUpAsync()
    {
        await Index.UpsertAsync(Entry("blocker"), default);
        var holder = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await holder.OpenAsync();
        var hold = await holder.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand($"SELECT 1 FROM {_harnesses[0].Schema}.ripcord_case_index WHERE case_id = 'blocker' FOR UPDATE", holder, hold))
        {
            await lockRow.ExecuteScalarAsync();
        }

        var blocked = Index.UpsertAsync(Entry("blocker", version: 2), default).AsTask();
        return (blocked, async () =>
        {
            await hold.RollbackAsync();
            await hold.DisposeAsync();
            await holder.DisposeAsync();
        });
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not reached within 15 s.");
            await Task.Delay(20);
        }
    }
}
