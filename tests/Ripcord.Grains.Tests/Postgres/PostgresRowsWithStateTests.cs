using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Grains.Tests.Postgres;

/// <summary>
/// On PostgreSQL a grain's write stores its turn's history events and case index row in the same transaction as its
/// record (<c>ripcord_write_state</c>): a turn whose write is refused leaves none of them behind.
/// </summary>
[Collection(PostgresDomainCollection.Name)]
public sealed class PostgresRowsWithStateTests(PostgresFixture fixture) : IAsyncLifetime
{
    private readonly string _schema = fixture.NewSchema();
    private DomainHarness _h = null!;

    public async Task InitializeAsync() => _h = await DomainHarness.StartAsync(silo => silo.UseRipcordPostgres(o =>
    {
        o.ConnectionString = fixture.ConnectionString;
        o.SchemaName = _schema;
    }));

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_turn_stores_its_history_and_index_rows_with_its_record()
    {
        await _h.StartCaseAsync("rw1", Processes.Pipeline());

        // The written record carries the turn's rows and says the store wrote them; the tables hold them already.
        var record = _h.Record<CaseState>(RipcordStorage.CaseState, GrainKeys.Case("rw1"))!;
        Assert.True(record.RowsStored);
        Assert.Contains(record.Outbox, e => e.History?.Event.Type == "case_started");
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.ripcord_history WHERE case_id = 'rw1' AND type = 'case_started'"));
        Assert.Equal("running", await fixture.ScalarAsync<string>($"SELECT status FROM {_schema}.ripcord_case_index WHERE case_id = 'rw1'"));
        Assert.Equal(
            await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.ripcord_history WHERE case_id = 'rw1'"),
            await fixture.ScalarAsync<long>($"SELECT last_sequence FROM {_schema}.ripcord_history_counter WHERE case_id = 'rw1'"));
    }

    [Fact]
    public async Task A_write_that_loses_its_ETag_race_stores_none_of_its_rows()
    {
        await _h.StartCaseAsync("rw2", Processes.Pipeline());
        var eventsBefore = await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.ripcord_history WHERE case_id = 'rw2'");

        // Another writer moved the case grain's row on: the live activation's next write is refused.
        await fixture.ExecuteAsync($"UPDATE {_schema}.orleans_storage SET version = version + 1 WHERE grain_type_string = '{RipcordStorage.CaseState}'");
        await Assert.ThrowsAnyAsync<Exception>(() => _h.CancelCaseAsync("rw2", reason: "first try"));

        Assert.Equal(eventsBefore, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.ripcord_history WHERE case_id = 'rw2'"));
        Assert.Equal(eventsBefore, await fixture.ScalarAsync<long>($"SELECT last_sequence FROM {_schema}.ripcord_history_counter WHERE case_id = 'rw2'"));
        Assert.Equal("running", await fixture.ScalarAsync<string>($"SELECT status FROM {_schema}.ripcord_case_index WHERE case_id = 'rw2'"));

        // The refused activation is gone; the next one reads the row and the retried cancel takes effect once.
        await _h.CancelCaseAsync("rw2", reason: "second try");
        await _h.WaitForCaseAsync("rw2", CaseStatus.Cancelled);
        var requested = (await _h.HistoryAsync("rw2")).Where(e => e.Type == "cancel_requested").ToList();
        Assert.Equal("second try", Assert.Single(requested).Reason);
        Assert.Equal("cancelled", await fixture.ScalarAsync<string>($"SELECT status FROM {_schema}.ripcord_case_index WHERE case_id = 'rw2'"));
    }
}
