using System.Collections.Immutable;
using Ripcord.Contracts.Processes;

namespace Ripcord.Grains.Processes;

/// <summary>The state of the process catalog grain: every registered definition by name.</summary>
public sealed record ProcessCatalog
{
    public ImmutableDictionary<string, ProcessRecord> Processes { get; init; } = ImmutableDictionary<string, ProcessRecord>.Empty.WithComparers(StringComparer.Ordinal);
}
