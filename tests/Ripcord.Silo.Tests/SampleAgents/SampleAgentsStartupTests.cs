using System.Net;

namespace Ripcord.Silo.Tests.SampleAgents;

public sealed class SampleAgentsStartupTests
{
    [Fact]
    public async Task Disabled_ByDefault_SimulatedCloudIsNotMapped()
    {
        await using var silo = await RunningSilo.StartAsync(TestKeys.Settings());

        var response = await silo.Http.GetAsync(new Uri("/sim/cloud/vms", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Enabled_WithoutAnApiKeyOutsideDevelopment_FailsAtStartNamingTheSetting()
    {
        var settings = TestKeys.Settings();
        settings["Ripcord:SampleAgents:Enabled"] = "true";

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => RunningSilo.StartAsync(settings));

        Assert.Contains("Ripcord:SampleAgents:ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_WithAServerUrlThatIsNotHttp_FailsAtStartNamingTheSetting()
    {
        var settings = SampleSilo.Settings(new Dictionary<string, string?> { ["Ripcord:SampleAgents:ServerUrl"] = "ftp://example" });

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => RunningSilo.StartAsync(settings));

        Assert.Contains("Ripcord:SampleAgents:ServerUrl", error.Message, StringComparison.Ordinal);
    }
}
