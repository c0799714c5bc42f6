namespace Ripcord.Silo.Tests.OpenApi;

/// <summary>A silo of its own, and the TypeScript types openapi-typescript generated from the document it serves.</summary>
public sealed class TypeScriptClientFixture : IAsyncLifetime
{
    public RunningSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await RunningSilo.StartAsync(TestKeys.Settings());
        var generated = await OpenApiTools.RunAsync("openapi-typescript", new Uri(Silo.Address, "/openapi/v1.json").ToString(), "-o", "generated/ripcord.d.ts");
        Assert.True(generated.ExitCode == 0, "openapi-typescript failed: " + generated);
    }

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
