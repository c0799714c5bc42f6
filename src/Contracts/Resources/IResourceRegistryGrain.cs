using System.Collections.Immutable;

namespace Ripcord.Contracts.Resources;

/// <summary>The resources a case provisioned and their release (key: <c>GrainKeys.Registry(caseId)</c>).</summary>
[Alias("ripcord.registry-grain")]
public interface IResourceRegistryGrain : IDurableGrain
{
    [Alias("get-resources")]
    [ReadOnly]
    Task<ImmutableArray<ResourceView>> GetResources();
}
