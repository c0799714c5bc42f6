using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Ripcord.Deploy.Tests.Cluster;
using Ripcord.Grains.Durability;
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
        using var name = new EnvironmentVariable("Ripcord__Cluster__SiloName", "from-the-environment");

        var app = SiloHost.Build([]);

        Assert.Equal("from-the-environment", app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
        Assert.Equal("from-the-environment", app.Services.GetRequiredService<IConfiguration>().GetSection("Ripcord:Cluster").Get<ClusterSettings>()!.SiloName);
    }

    /// <summary>What cluster.sh gives each silo (a cluster and service id, its own ports), and a recovery period set the same way.</summary>
    [Fact]
    public void ClusterVariables_InTheEnvironment_ConfigureTheOrleansSilo()
    {
        using var clusterId = new EnvironmentVariable("Ripcord__Cluster__ClusterId", "env-cluster");
        using var serviceId = new EnvironmentVariable("Ripcord__Cluster__ServiceId", "env-service");
        using var siloPort = new EnvironmentVariable("Ripcord__Cluster__SiloPort", "21111");
        using var gatewayPort = new EnvironmentVariable("Ripcord__Cluster__GatewayPort", "23000");
        using var recovery = new EnvironmentVariable("Ripcord__Durability__RecoveryPeriod", "00:00:04");

        var app = SiloHost.Build([]);

        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal("env-cluster", cluster.ClusterId);
        Assert.Equal("env-service", cluster.ServiceId);
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(21111, endpoints.SiloPort);
        Assert.Equal(23000, endpoints.GatewayPort);
        Assert.Equal(TimeSpan.FromSeconds(4), app.Services.GetRequiredService<IOptions<DurabilityOptions>>().Value.RecoveryPeriod);
    }

    /// <summary>
    /// The Kubernetes Deployment sets the advertised address from the pod IP (downward API): on PostgreSQL the silo
    /// advertises it to the other silos and listens on every address of the pod.
    /// </summary>
    [Fact]
    public void AdvertisedAddress_InTheEnvironment_IsWhatAPostgresSiloAdvertises()
    {
        using var kind = new EnvironmentVariable("Ripcord__Store__Kind", "Postgres");
        using var connection = new EnvironmentVariable("Ripcord__Store__Postgres__ConnectionString", "Host=127.0.0.1;Database=unused");
        using var address = new EnvironmentVariable("Ripcord__Cluster__AdvertisedAddress", "10.12.0.7");

        var app = SiloHost.Build([]);

        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.12.0.7"), endpoints.AdvertisedIPAddress);
        Assert.Equal(11111, endpoints.SiloPort);
        Assert.Equal(30000, endpoints.GatewayPort);
        Assert.Equal(IPAddress.Any, endpoints.SiloListeningEndpoint?.Address);
    }

    /// <summary>
    /// What deploy/k8s gives a silo: Orleans' Kubernetes hosting names it after its pod, advertises the pod's IP,
    /// listens on every address, and takes the cluster and service ids from the pod's labels, over the section's keys.
    /// </summary>
    [Fact]
    public void KubernetesHosting_PodVariables_AreTheSilosIdentity()
    {
        using var kind = new EnvironmentVariable("Ripcord__Store__Kind", "Postgres");
        using var connection = new EnvironmentVariable("Ripcord__Store__Postgres__ConnectionString", "Host=127.0.0.1;Database=unused");
        using var hosting = new EnvironmentVariable("Ripcord__Cluster__KubernetesHosting", "true");
        using var ignored = new EnvironmentVariable("Ripcord__Cluster__ClusterId", "not-this-one");
        using var pod = new EnvironmentVariable("POD_NAME", "ripcord-silo-7d9f-abcde");
        using var space = new EnvironmentVariable("POD_NAMESPACE", "ripcord");
        using var ip = new EnvironmentVariable("POD_IP", "10.42.0.17");
        using var clusterId = new EnvironmentVariable("ORLEANS_CLUSTER_ID", "from-the-label");
        using var serviceId = new EnvironmentVariable("ORLEANS_SERVICE_ID", "service-label");

        var app = SiloHost.Build([]);

        Assert.Equal("ripcord-silo-7d9f-abcde", app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.42.0.17"), endpoints.AdvertisedIPAddress);
        Assert.Equal(IPAddress.Any, endpoints.SiloListeningEndpoint?.Address);
        Assert.Equal(11111, endpoints.SiloPort);
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("from-the-label", "service-label"), (cluster.ClusterId, cluster.ServiceId));
    }

    [Fact]
    public void KubernetesHosting_OnTheEmbeddedStore_StopsTheSiloNamingTheKeys()
    {
        using var hosting = new EnvironmentVariable("Ripcord__Cluster__KubernetesHosting", "true");

        var error = Assert.Throws<InvalidOperationException>(() => SiloHost.Build([]));

        Assert.Contains("Ripcord:Cluster:KubernetesHosting", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ripcord:Store:Kind=Postgres", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Failure detection in seconds by default (Orleans' own defaults take about 7 s for a crash, 60 s for a hang).</summary>
    [Fact]
    public void Membership_ByDefault_ProbesTimeOutInOneSecondAndTwoMissedProbesSuspect()
    {
        var app = SiloHost.Build([]);

        var membership = app.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(1), membership.ProbeTimeout);
        Assert.Equal(2, membership.NumMissedProbesLimit);
    }

    [Fact]
    public void MembershipVariables_InTheEnvironment_TuneFailureDetection()
    {
        using var timeout = new EnvironmentVariable("Ripcord__Cluster__ProbeTimeout", "00:00:03");
        using var missed = new EnvironmentVariable("Ripcord__Cluster__MissedProbesLimit", "4");

        var app = SiloHost.Build([]);

        var membership = app.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(3), membership.ProbeTimeout);
        Assert.Equal(4, membership.NumMissedProbesLimit);
    }

    [Theory]
    [InlineData("Ripcord__Cluster__ProbeTimeout", "00:00:00", "Ripcord:Cluster:ProbeTimeout")]
    [InlineData("Ripcord__Cluster__ProbeTimeout", "-00:00:01", "Ripcord:Cluster:ProbeTimeout")]
    [InlineData("Ripcord__Cluster__MissedProbesLimit", "0", "Ripcord:Cluster:MissedProbesLimit")]
    public void MembershipVariables_OutOfRange_StopTheSiloNamingTheKey(string variable, string value, string key)
    {
        using var bad = new EnvironmentVariable(variable, value);

        var error = Assert.Throws<InvalidOperationException>(() => SiloHost.Build([]));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
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
