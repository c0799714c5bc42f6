using System.Collections.Immutable;

namespace Ripcord.Contracts.Processes;

/// <summary>The process definitions every silo starts cases from (one grain, key <c>GrainKeys.ProcessCatalog</c>).</summary>
[Alias("ripcord.process-catalog-grain")]
public interface IProcessCatalogGrain : IGrainWithStringKey
{
    [Alias("register")]
    Task<ProcessRegistration> Register(ProcessDefinition definition);

    [Alias("get")]
    [ReadOnly]
    Task<ProcessRecord?> Get(string name);

    [Alias("list")]
    [ReadOnly]
    Task<ImmutableArray<ProcessRecord>> List();
}
