using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.Postgres;
using Ripcord.Testing;
using Ripcord.Testing.Postgres;

namespace Ripcord.Runtime.Tests.Postgres;

/// <summary>The runtime's specification, unchanged, on the PostgreSQL store (a fresh schema per store).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRuntimeSpecification(PostgresFixture fixture) : GrainRuntimeSpecification
{
    protected override ValueTask<IGrainStore> CreateStoreAsync(TimeProvider time) =>
        ValueTask.FromResult<IGrainStore>(new PostgresGrainStore(
            new PostgresStoreOptions { ConnectionString = fixture.ConnectionString, SchemaName = fixture.NewSchema() },
            "spec-silo",
            time));
}
