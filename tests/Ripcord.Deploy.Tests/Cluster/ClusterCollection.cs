namespace Ripcord.Deploy.Tests.Cluster;

/// <summary>Tests that start local clusters or change the process environment run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "local-cluster";
}
