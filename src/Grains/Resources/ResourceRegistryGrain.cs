using System.Collections.Immutable;
using Ripcord.Contracts;
using Ripcord.Contracts.Resources;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Views;

namespace Ripcord.Grains.Resources;

/// <summary>The resource registry grain of a case. Decides through <see cref="RegistryMachine"/>.</summary>
/// <remarks>Reentrant: its turns are serialized, and committed as a group, by <see cref="DurableGrain{TState}"/>.</remarks>
[Reentrant]
public sealed class ResourceRegistryGrain(
    [PersistentState(RipcordStorage.RegistryState, RipcordStorage.Name)] IPersistentState<GrainRecord<RegistryState>> store,
    DurableGrainServices services)
    : DurableGrain<RegistryState>(store, services), IResourceRegistryGrain
{
    public Task<ImmutableArray<ResourceView>> GetResources() => Task.FromResult(CaseViews.Resources(State));

    protected override RegistryState CreateState(string key) => RegistryState.Empty(GrainKeys.CaseIdOf(key));

    protected override Decision<RegistryState> Decide(RegistryState state, object message, DateTimeOffset now) => RegistryMachine.Handle(state, message, now);

    protected override string CaseIdOf(RegistryState state) => state.CaseId;
}
