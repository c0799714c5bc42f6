using Ripcord.Testing.Postgres;

namespace Ripcord.Storage.Tests.Postgres;

/// <summary>The PostgreSQL store tests share one private server; each test works in a schema of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL stores";
}
