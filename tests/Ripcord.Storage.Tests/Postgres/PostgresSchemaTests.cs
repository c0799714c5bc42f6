using Npgsql;
using Ripcord.Grains.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Storage.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresFixture fixture)
{
    private static readonly string[] QueryKeys =
    [
        // Clustering (9, and the optional per-entry cleanup).
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",

        // Reminders (7).
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",

        // Persistence (3, and the delete used by DeleteStateOnClear).
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
    ];

    [Fact]
    public async Task Three_silos_migrating_an_empty_database_at_once_all_succeed_and_apply_it_once()
    {
        var database = "mig_" + Guid.NewGuid().ToString("N")[..12];
        await fixture.ExecuteAsync($"CREATE DATABASE {database}");
        var sources = Enumerable.Range(0, 3).Select(_ => NpgsqlDataSource.Create(fixture.Server.ConnectionStringFor(database))).ToList();
        try
        {
            var start = new TaskCompletionSource();
            var runs = sources.Select(s => Task.Run(async () =>
            {
                await start.Task;
                return await PostgresSchema.MigrateAsync(s, "ripcord", default);
            })).ToList();
            start.SetResult();
            var applied = await Task.WhenAll(runs);

            Assert.Equal(PostgresSchema.CurrentVersion, applied.Sum());
            Assert.Equal(2, applied.Count(a => a == 0));
            Assert.Equal(0, await PostgresSchema.MigrateAsync(sources[0], "ripcord", default));
            Assert.Equal(PostgresSchema.CurrentVersion, await PostgresSchema.VersionAsync(sources[1], "ripcord", default));

            await using var connection = await sources[0].OpenConnectionAsync();
            Assert.Equal(PostgresSchema.CurrentVersion, await ScalarAsync<long>(connection, "SELECT count(*) FROM ripcord.ripcord_schema_migrations"));
            var keys = new List<string>();
            await using (var command = new NpgsqlCommand("SELECT QueryKey FROM ripcord.OrleansQuery ORDER BY QueryKey", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    keys.Add(reader.GetString(0));
                }
            }

            Assert.Equal(QueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_version_of_a_missing_schema_is_zero()
    {
        await using var source = NpgsqlDataSource.Create(fixture.ConnectionString);
        Assert.Equal(0, await PostgresSchema.VersionAsync(source, fixture.NewSchema(), default));
    }

    [Fact]
    public async Task Every_time_column_is_timestamptz()
    {
        var schema = fixture.NewSchema();
        await using var source = NpgsqlDataSource.Create(fixture.ConnectionString);
        await PostgresSchema.MigrateAsync(source, schema, default);

        await using var connection = await source.OpenConnectionAsync();
        var withoutZone = await ScalarAsync<long>(connection, $"""
            SELECT count(*) FROM information_schema.columns
            WHERE table_schema = '{schema}' AND data_type IN ('timestamp without time zone', 'date', 'time without time zone', 'time with time zone')
            """);
        var timeColumns = await ScalarAsync<long>(connection, $"""
            SELECT count(*) FROM information_schema.columns
            WHERE table_schema = '{schema}' AND data_type = 'timestamp with time zone'
            """);
        Assert.Equal(0, withoutZone);
        Assert.Equal(9, timeColumns);
    }

    [Fact]
    public void A_schema_name_that_is_not_a_plain_identifier_is_refused()
    {
        Assert.True(PostgresSchema.IsValidName("ripcord_2"));
        Assert.False(PostgresSchema.IsValidName("Ripcord"));
        Assert.False(PostgresSchema.IsValidName("a;drop"));
        Assert.False(PostgresSchema.IsValidName("1abc"));
        Assert.False(PostgresSchema.IsValidName(""));
        Assert.False(PostgresSchema.IsValidName(new string('a', 41)));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
