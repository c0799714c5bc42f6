using System.Collections.Frozen;

namespace Ripcord.Runtime;

/// <summary>Maps grain type names to their behaviours.</summary>
public sealed class GrainTypeRegistry
{
    private readonly Dictionary<string, IGrain> _grains = new(StringComparer.Ordinal);
    private FrozenDictionary<string, IGrain>? _frozen;

    public GrainTypeRegistry Add(string type, IGrain grain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(grain);
        if (_frozen is not null)
        {
            throw new InvalidOperationException("Grain types cannot be added after the runtime started.");
        }

        _grains[type] = grain;
        return this;
    }

    public IEnumerable<string> Types => _grains.Keys;

    internal IGrain? Find(string type)
    {
        var frozen = _frozen ??= _grains.ToFrozenDictionary(StringComparer.Ordinal);
        return frozen.GetValueOrDefault(type);
    }
}
