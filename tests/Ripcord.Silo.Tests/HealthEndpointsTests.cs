using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Healthz_SiloRunning_AnswersAlive()
    {
        await using var silo = await RunningSilo.StartAsync();

        var response = await silo.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("alive", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_EmbeddedStore_AnswersReadyWithTheSiloId()
    {
        await using var silo = await RunningSilo.StartAsync(new Dictionary<string, string?> { ["Ripcord:Cluster:SiloName"] = "silo-under-test" });

        var response = await silo.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("silo-under-test", body.RootElement.GetProperty("silo").GetString());
    }

    [Fact]
    public void Build_UnknownStoreKind_FailsNamingTheKind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Ripcord.Silo.Hosting.SiloHost.Build(["--Ripcord:Store:Kind=Cassandra"]));

        Assert.Contains("Cassandra", error.Message, StringComparison.Ordinal);
    }
}
