using Ripcord.Contracts;
using Ripcord.Contracts.Processes;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Processes;

/// <summary>Process definitions in the process catalog grain, so a definition registered through any silo is the one every silo starts cases with.</summary>
public sealed class GrainProcessDefinitionRepository(GrainReferences grains) : IProcessDefinitionRepository
{
    private IProcessCatalogGrain Catalog => grains.ProcessCatalog();

    public async ValueTask<ProcessRegistration> RegisterAsync(ProcessDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ProcessDefinitionParser.Validate(definition).GetOrThrow();
        return await Catalog.Register(definition).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ProcessDefinition?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var record = await Catalog.Get(name).WaitAsync(cancellationToken).ConfigureAwait(false);
        return record?.Definition;
    }

    public async ValueTask<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = await Catalog.List().WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => r.Definition!)];
    }
}
