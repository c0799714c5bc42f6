using Ripcord.Grains.Tests.Scenarios;
using Ripcord.Testing.Postgres;

namespace Ripcord.Grains.Tests.Postgres;

/// <summary>The seed scenarios, unchanged, with every grain on the PostgreSQL store.</summary>
[Collection(PostgresDomainCollection.Name)]
public sealed class PostgresSeedScenarioTests(PostgresFixture fixture) : SeedScenarioTests
{
    protected override Task<DomainHarness> StartHarnessAsync() => PostgresDomainCollection.StartHarnessAsync(fixture);
}
