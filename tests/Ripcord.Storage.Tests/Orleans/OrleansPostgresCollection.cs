using Ripcord.Testing.Postgres;

namespace Ripcord.Storage.Tests.Orleans;

/// <summary>Orleans clusters on the PostgreSQL store: a private server of their own, so they run beside the store tests.</summary>
[CollectionDefinition(Name)]
public sealed class OrleansPostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Orleans on PostgreSQL";
}
