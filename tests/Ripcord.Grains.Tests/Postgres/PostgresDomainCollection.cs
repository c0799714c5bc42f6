using Ripcord.Runtime.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Grains.Tests.Postgres;

/// <summary>The domain scenarios on PostgreSQL share one private server; each harness gets its own schema.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresDomainCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Postgres domain";

    public static Task<DomainHarness> StartHarnessAsync(PostgresFixture fixture) =>
        DomainHarness.StartAsync(time => new PostgresGrainStore(
            new PostgresStoreOptions { ConnectionString = fixture.ConnectionString, SchemaName = fixture.NewSchema() },
            "domain-test",
            time));
}
