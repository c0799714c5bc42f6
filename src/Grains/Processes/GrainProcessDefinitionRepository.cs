using Ripcord.Contracts;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;

namespace Ripcord.Grains.Processes;

/// <summary>
/// Process definitions in the grain store (one <see cref="ProcessGrain"/> each), so a definition registered through
/// any silo is the one every silo starts cases with. Reads go to the committed state and activate nothing.
/// </summary>
public sealed class GrainProcessDefinitionRepository(IGrainClient grains, IGrainStore store) : IProcessDefinitionRepository
{
    public async ValueTask<ProcessRegistration> RegisterAsync(ProcessDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ProcessDefinitionParser.Validate(definition).GetOrThrow();
        var answer = await grains.AskAsync<ProcessRegistration>(ProcessGrain.Id(definition.Name), new RegisterProcess { Definition = definition }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer.GetValueOrThrow();
    }

    public async ValueTask<ProcessDefinition?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var record = await grains.ReadStateAsync<ProcessRecord>(ProcessGrain.Id(name), cancellationToken).ConfigureAwait(false);
        return record?.Definition;
    }

    public async ValueTask<IReadOnlyList<ProcessDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (store is not IGrainStateScanner scanner)
        {
            throw new NotSupportedException($"{store.GetType().Name} cannot list process definitions.");
        }

        var definitions = new List<ProcessDefinition>();
        string? after = null;
        while (true)
        {
            var page = await scanner.ScanAsync(ProcessGrain.Type, after, 500, cancellationToken).ConfigureAwait(false);
            definitions.AddRange(page.Select(p => p.State).OfType<ProcessRecord>().Select(r => r.Definition).OfType<ProcessDefinition>());
            if (page.Count < 500)
            {
                return definitions.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
            }

            after = page[^1].Grain.Key;
        }
    }
}
