using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting.Kubernetes;
using Ripcord.Grains;
using Ripcord.Grains.Agents;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Storage.InMemory;
using Ripcord.Grains.Storage.Postgres;

namespace Ripcord.Silo.Hosting;

/// <summary>Configures the Orleans silo a Ripcord host runs, from configuration (sections <c>Ripcord:Cluster</c>, <c>Ripcord:Store</c>).</summary>
public static class SiloBuilderExtensions
{
    public static ISiloBuilder UseRipcord(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var cluster = configuration.GetSection("Ripcord:Cluster").Get<ClusterSettings>() ?? new ClusterSettings();
        var (freeSilo, freeGateway) = cluster.SiloPort == 0 || cluster.GatewayPort == 0 ? FreePorts() : (0, 0);
        var siloPort = cluster.SiloPort == 0 ? freeSilo : cluster.SiloPort;
        var gatewayPort = cluster.GatewayPort == 0 ? freeGateway : cluster.GatewayPort;
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        if (cluster.ProbeTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Ripcord:Cluster:ProbeTimeout must be positive (it is {cluster.ProbeTimeout}).");
        }

        if (cluster.MissedProbesLimit < 1)
        {
            throw new InvalidOperationException($"Ripcord:Cluster:MissedProbesLimit must be at least 1 (it is {cluster.MissedProbesLimit}).");
        }

        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.MissedProbesLimit;
        });
        if (cluster.SiloName is { Length: > 0 } name)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = name);
        }

        silo.AddRipcordGrains(o => configuration.GetSection("Ripcord:Durability").Bind(o));
        silo.Services.Configure<ResourceOptions>(configuration.GetSection(ResourceOptions.Section));
        silo.Services.Configure<KillHookOptions>(configuration.GetSection(KillHookOptions.Section));

        var kind = configuration["Ripcord:Store:Kind"] ?? "InMemory";
        if (string.Equals(kind, "InMemory", StringComparison.OrdinalIgnoreCase))
        {
            if (cluster.KubernetesHosting)
            {
                throw new InvalidOperationException("Ripcord:Cluster:KubernetesHosting needs Ripcord:Store:Kind=Postgres: the embedded store holds one silo only.");
            }

            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            silo.UseRipcordInMemoryStores();
        }
        else if (string.Equals(kind, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (cluster.KubernetesHosting)
            {
                // The pod gives the name and ids (registered after the settings above, so they win) and the address:
                // set here, because Orleans fills in the host's own address before its Kubernetes hosting looks.
                var podIp = configuration[KubernetesHostingOptions.PodIPEnvironmentVariable] is { Length: > 0 } ip
                    ? IPAddress.TryParse(ip, out var parsed) ? parsed : throw new InvalidOperationException($"{KubernetesHostingOptions.PodIPEnvironmentVariable} '{ip}' is not an IP address.")
                    : null;
                silo.Configure<EndpointOptions>(o => (o.SiloPort, o.GatewayPort, o.AdvertisedIPAddress) = (siloPort, gatewayPort, podIp ?? o.AdvertisedIPAddress));
                silo.UseKubernetesHosting();
            }
            else
            {
                var address = cluster.AdvertisedAddress is { Length: > 0 } a ? ResolveAddress(a) : null;
                silo.ConfigureEndpoints(address ?? IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: address is not null);
            }

            silo.UseRipcordPostgres(o => configuration.GetSection("Ripcord:Store:Postgres").Bind(o));
        }
        else
        {
            throw new InvalidOperationException($"Ripcord:Store:Kind '{kind}' is not supported; use 'InMemory' or 'Postgres'.");
        }

        silo.AddDashboard(o => o.HideTrace = true);
        return silo;
    }

    private static IPAddress ResolveAddress(string value) =>
        IPAddress.TryParse(value, out var ip) ? ip
        : Dns.GetHostAddresses(value).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
          ?? throw new InvalidOperationException($"Ripcord:Cluster:AdvertisedAddress '{value}' does not resolve to an IPv4 address.");

    /// <summary>Two free ports, held together while picked so they differ.</summary>
    private static (int Silo, int Gateway) FreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }
}
