using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ripcord.Deploy.Tests.Cluster;
using Ripcord.Silo.Hosting;

namespace Ripcord.Deploy.Tests;

/// <summary>
/// The environment variables the manifests use reach the silo's host as they claim. These tests set variables of
/// this process, so they run in the collection that runs alone.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HostEnvironmentTests
{
    [Fact]
    public void DotnetShutdownTimeoutSeconds_InTheEnvironment_SetsTheHostShutdownTimeout()
    {
        using var variable = new EnvironmentVariable("DOTNET_shutdownTimeoutSeconds", "53");

        var app = SiloHost.Build([]);

        Assert.Equal(TimeSpan.FromSeconds(53), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void HostOptionsShutdownTimeout_InTheEnvironment_IsIgnored()
    {
        using var variable = new EnvironmentVariable("HostOptions__ShutdownTimeout", "00:00:53");

        var app = SiloHost.Build([]);

        Assert.NotEqual(TimeSpan.FromSeconds(53), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.False(ConfigurationKeys.IsKnown(ConfigurationKeys.FromEnvironmentVariable("HostOptions__ShutdownTimeout")));
    }

    [Fact]
    public void DoubleUnderscoreVariables_InTheEnvironment_ReachTheRipcordSections()
    {
        using var kind = new EnvironmentVariable("Ripcord__Runtime__SiloId", "from-the-environment");

        var app = SiloHost.Build([]);

        Assert.Equal("from-the-environment", app.Services.GetRequiredService<IOptions<Ripcord.Runtime.RuntimeOptions>>().Value.SiloId);
    }

    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _previous;

        public EnvironmentVariable(string name, string value)
        {
            _name = name;
            _previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
    }
}
