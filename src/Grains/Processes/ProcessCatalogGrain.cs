using System.Collections.Immutable;
using Ripcord.Contracts;
using Ripcord.Contracts.Processes;
using Ripcord.Grains.Durability;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Processes;

/// <summary>
/// The process definitions, in one grain: registrations are rare and reads are served from memory (read-only calls
/// interleave), so one grain carries them for the whole cluster and every silo starts cases from the same ones.
/// </summary>
public sealed class ProcessCatalogGrain(
    [PersistentState(RipcordStorage.ProcessCatalogState, RipcordStorage.Name)] IPersistentState<ProcessCatalog> store,
    RipcordClock clock)
    : Grain, IProcessCatalogGrain
{
    public async Task<ProcessRegistration> Register(ProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var current = store.State.Processes.GetValueOrDefault(definition.Name);
        var record = new ProcessRecord { Definition = definition, UpdatedAt = clock.Now, Revision = (current?.Revision ?? 0) + 1 };
        store.State = store.State with { Processes = store.State.Processes.SetItem(definition.Name, record) };
        await store.WriteStateAsync();
        return current is null ? ProcessRegistration.Created : ProcessRegistration.Replaced;
    }

    public Task<ProcessRecord?> Get(string name) => Task.FromResult(store.State.Processes.GetValueOrDefault(name));

    public Task<ImmutableArray<ProcessRecord>> List() =>
        Task.FromResult<ImmutableArray<ProcessRecord>>([.. store.State.Processes.Values.OrderBy(p => p.Definition!.Name, StringComparer.Ordinal)]);
}
