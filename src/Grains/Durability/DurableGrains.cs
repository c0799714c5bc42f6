using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Resources;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Durability;

/// <summary>The durable grain a key (<see cref="GrainKeys"/>) names, through its own interface.</summary>
public static class DurableGrains
{
    public static IDurableGrain Get(IGrainFactory grains, string key)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(GrainKeys.TaskPrefix, StringComparison.Ordinal) ? grains.GetGrain<ITaskGrain>(key)
            : key.StartsWith(GrainKeys.CasePrefix, StringComparison.Ordinal) ? grains.GetGrain<ICaseGrain>(key)
            : key.StartsWith(GrainKeys.RegistryPrefix, StringComparison.Ordinal) ? grains.GetGrain<IResourceRegistryGrain>(key)
            : throw new ArgumentException($"'{key}' is not the key of a durable grain.", nameof(key));
    }
}
