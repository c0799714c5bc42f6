using Ripcord.Contracts;
using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Processes;
using Ripcord.Contracts.Resources;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains;

/// <summary>
/// References to Ripcord's grains by their keys (<see cref="GrainKeys"/>). Orleans' <c>GetGrain&lt;T&gt;(key)</c>
/// resolves the interface's type id by reflection on every call, which costs more than a grain call; this resolves
/// each interface's grain and interface type ids once and then builds a reference from its id alone. One per silo
/// (and per cluster client).
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    private readonly Kind<ICaseGrain> _cases = new(grains);
    private readonly Kind<ITaskGrain> _tasks = new(grains);
    private readonly Kind<IResourceRegistryGrain> _registries = new(grains);
    private readonly Kind<IAgentSignalGrain> _agents = new(grains);
    private readonly Kind<IReadyTasksGrain> _ready = new(grains);
    private readonly Kind<IProcessCatalogGrain> _processes = new(grains);

    public ICaseGrain Case(string caseId) => _cases.Get(GrainKeys.Case(caseId));

    public ITaskGrain Task(string caseId, string taskId) => _tasks.Get(GrainKeys.Task(caseId, taskId));

    public IResourceRegistryGrain Registry(string caseId) => _registries.Get(GrainKeys.Registry(caseId));

    public IAgentSignalGrain AgentSignals(string agentId) => _agents.Get(GrainKeys.Agent(agentId));

    public IReadyTasksGrain ReadyTasks(string agentType, int partition) => _ready.Get(GrainKeys.Ready(agentType, partition));

    /// <summary>The cluster's one process catalog.</summary>
    public IProcessCatalogGrain ProcessCatalog() => _processes.Get(GrainKeys.ProcessCatalog);

    /// <summary>The durable grain (case, task or registry) a key names, through its own interface.</summary>
    public IDurableGrain Durable(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(GrainKeys.TaskPrefix, StringComparison.Ordinal) ? _tasks.Get(key)
            : key.StartsWith(GrainKeys.CasePrefix, StringComparison.Ordinal) ? _cases.Get(key)
            : key.StartsWith(GrainKeys.RegistryPrefix, StringComparison.Ordinal) ? _registries.Get(key)
            : throw new ArgumentException($"'{key}' is not the key of a durable grain.", nameof(key));
    }

    /// <summary>One grain interface: its grain type and interface type ids, taken from the first reference Orleans made for it.</summary>
    private sealed class Kind<T>(IGrainFactory grains)
        where T : class, IGrainWithStringKey
    {
        // A reference, so a reader sees both ids or none (a struct this wide could be read half written).
        private volatile TypeIds? _types;

        public T Get(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            if (_types is not { } types)
            {
                // A race here resolves the same ids twice; both are equal.
                var first = grains.GetGrain<T>(key);
                var reference = (GrainReference)(object)first;
                _types = new TypeIds(reference.GrainId.Type, reference.InterfaceType);
                return first;
            }

            return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }
    }

    private sealed record TypeIds(GrainType Grain, GrainInterfaceType Interface);
}
