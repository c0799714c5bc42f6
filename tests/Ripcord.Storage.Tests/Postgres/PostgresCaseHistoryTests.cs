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
}
