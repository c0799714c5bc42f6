using Ripcord.Grains.Tests.Scenarios;
using Ripcord.Testing.Postgres;

namespace Ripcord.Grains.Tests.Postgres;

/// <summary>The data minimization scenarios, unchanged, with every grain and the history on the PostgreSQL store.</summary>
[Collection(PostgresDomainCollection.Name)]
public sealed class PostgresDataMinimizationTests(PostgresFixture fixture) : DataMinimizationTests
{
    protected override Task<DomainHarness> StartHarnessAsync() => PostgresDomainCollection.StartHarnessAsync(fixture);
}
