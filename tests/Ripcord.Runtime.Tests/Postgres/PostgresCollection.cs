using Ripcord.Testing.Postgres;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>Every PostgreSQL test shares one private server; they run one after another (one restarts it).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Postgres";
}
