using Ripcord.Testing.Postgres;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>Silos on a private PostgreSQL, one schema per test.</summary>
[CollectionDefinition(Name)]
public sealed class SiloClusterCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Silo cluster on Postgres";
}
