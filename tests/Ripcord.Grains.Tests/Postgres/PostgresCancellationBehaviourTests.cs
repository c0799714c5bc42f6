using Ripcord.Grains.Tests.Scenarios;
using Ripcord.Testing.Postgres;

namespace Ripcord.Grains.Tests.Postgres;

/// <summary>The cancellation behaviours, unchanged, with every grain on the PostgreSQL store.</summary>
[Collection(PostgresDomainCollection.Name)]
public sealed class PostgresCancellationBehaviourTests(PostgresFixture fixture) : CancellationBehaviourTests
{
    protected override Task<DomainHarness> StartHarnessAsync() => PostgresDomainCollection.StartHarnessAsync(fixture);
}
