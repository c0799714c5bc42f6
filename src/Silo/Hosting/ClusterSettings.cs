namespace Ripcord.Silo.Hosting;

/// <summary>
/// Where a silo stands in its cluster (section <c>Ripcord:Cluster</c>). The defaults run one embedded silo on
/// localhost; a cluster on PostgreSQL sets the ports and advertised address per silo and shares the ids.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>Orleans cluster id: silos with the same one form a cluster. Default <c>ripcord</c>.</summary>
    public string ClusterId { get; set; } = "ripcord";

    /// <summary>Orleans service id: the key of grain state and reminders; keep it across deployments. Default <c>ripcord</c>.</summary>
    public string ServiceId { get; set; } = "ripcord";

    /// <summary>This silo's name in the cluster view and logs. Default: Orleans' (machine name and a suffix).</summary>
    public string? SiloName { get; set; }

    /// <summary>Silo-to-silo port. Default 11111; 0 picks a free port (tests).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans cluster clients. Default 30000; 0 picks a free port (tests).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at. Default: loopback for the embedded silo, else the host's first address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// How long a silo waits for another's answer to a liveness probe before counting it missed (Orleans'
    /// <c>ClusterMembershipOptions.ProbeTimeout</c>; Orleans adapts it per silo between half and four times this).
    /// Default 1 s, Orleans' own is 5 s. With <see cref="MissedProbesLimit"/> it sets how fast a dead silo is found:
    /// a crashed one in about 1 s, a hung one in about 8 s (docs/operations.md has the trade-off).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Host the silo the Kubernetes way (Orleans' <c>UseKubernetesHosting</c>): its name, advertised address,
    /// cluster id and service id come from the pod (<c>POD_NAME</c>, <c>POD_IP</c>, <c>ORLEANS_CLUSTER_ID</c>,
    /// <c>ORLEANS_SERVICE_ID</c> from the pod's <c>orleans/clusterId</c> and <c>orleans/serviceId</c> labels,
    /// <c>POD_NAMESPACE</c>), overriding the keys of this section, and silos whose pods are gone are declared dead
    /// at once. Needs the PostgreSQL store and read access to the namespace's pods (deploy/k8s). Default false.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>Missed probes in a row after which a silo votes another dead (<c>NumMissedProbesLimit</c>). Default 2, Orleans' own is 3.</summary>
    public int MissedProbesLimit { get; set; } = 2;
}
