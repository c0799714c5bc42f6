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

        var last = await Index.LastChangeSequenceAsync(default);
        var wait = Index.WaitForChangeAsync(last, TimeSpan.FromMinutes(5), default);
        await StillWaiting(wait);
        await other.UpsertAsync(Entry("b"), default);
        await CompletesWithin(wait);
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
