using Ripcord.Grains.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Grains.Tests.Postgres;

/// <summary>
/// The domain scenarios on PostgreSQL share one private server; each harness gets its own schema, where its silos
/// keep grain state, reminders, the case index and history (the test cluster keeps its own membership).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresDomainCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Postgres domain";

    public static Task<DomainHarness> StartHarnessAsync(PostgresFixture fixture)
    {
        var schema = fixture.NewSchema();
        return DomainHarness.StartAsync(silo => silo.UseRipcordPostgres(o =>
        {
            o.ConnectionString = fixture.ConnectionString;
            o.SchemaName = schema;
        }));
    }
}
