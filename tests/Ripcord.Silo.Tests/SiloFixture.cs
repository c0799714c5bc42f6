namespace Ripcord.Silo.Tests;

/// <summary>One real silo (test keys, in-memory store) shared by the tests of a class.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public RunningSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await RunningSilo.StartAsync(TestKeys.Settings());

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
