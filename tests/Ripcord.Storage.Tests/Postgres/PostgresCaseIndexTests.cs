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
