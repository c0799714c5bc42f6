using System.Collections.Concurrent;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Resources;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains;

/// <summary>
/// References to Ripcord's grains by their keys (<see cref="GrainKeys"/>), made once and reused: Orleans builds a
/// new proxy, by reflection, each time it is asked for a reference, which costs more than many a grain call. One per
/// silo (and per cluster client); it keeps at most <see cref="Capacity"/> references and starts afresh when full.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    /// <summary>The most references kept.</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, IAddressable> _references = new(StringComparer.Ordinal);

    // Counted apart: ConcurrentDictionary.Count takes every one of its locks.
    private int _misses;

    public ICaseGrain Case(string caseId) => Get<ICaseGrain>(GrainKeys.Case(caseId));

    public ITaskGrain Task(string caseId, string taskId) => Get<ITaskGrain>(GrainKeys.Task(caseId, taskId));

    public IResourceRegistryGrain Registry(string caseId) => Get<IResourceRegistryGrain>(GrainKeys.Registry(caseId));

    public IAgentSignalGrain AgentSignals(string agentId) => Get<IAgentSignalGrain>(GrainKeys.Agent(agentId));

    public IReadyTasksGrain ReadyTasks(string agentType, int partition) => Get<IReadyTasksGrain>(GrainKeys.Ready(agentType, partition));

    /// <summary>The durable grain (case, task or registry) a key names, through its own interface.</summary>
    public IDurableGrain Durable(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(GrainKeys.TaskPrefix, StringComparison.Ordinal) ? Get<ITaskGrain>(key)
            : key.StartsWith(GrainKeys.CasePrefix, StringComparison.Ordinal) ? Get<ICaseGrain>(key)
            : key.StartsWith(GrainKeys.RegistryPrefix, StringComparison.Ordinal) ? Get<IResourceRegistryGrain>(key)
            : throw new ArgumentException($"'{key}' is not the key of a durable grain.", nameof(key));
    }

    private T Get<T>(string key)
        where T : IGrainWithStringKey
    {
        // Keys carry their grain type's prefix, so one key never names two interfaces.
        if (_references.TryGetValue(key, out var known))
        {
            return (T)known;
        }

        if (Interlocked.Increment(ref _misses) > Capacity)
        {
            _references.Clear();
            Interlocked.Exchange(ref _misses, 1);
        }

        return (T)_references.GetOrAdd(key, static (k, factory) => factory.GetGrain<T>(k), grains);
    }
}
