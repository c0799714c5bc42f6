namespace Ripcord.Runtime.Cluster;

/// <summary>Implemented by stores that can describe the cluster sharing them.</summary>
public interface IClusterInspector
{
    ValueTask<ClusterView> InspectAsync(string selfSiloId, CancellationToken cancellationToken);
}
