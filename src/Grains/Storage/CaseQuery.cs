using Ripcord.Contracts;

namespace Ripcord.Grains.Storage;

/// <summary>A page request over the case index, ordered by case id (ordinal), after <see cref="After"/>.</summary>
public sealed record CaseQuery
{
    public CaseStatus? Status { get; init; }

    public string? Process { get; init; }

    /// <summary>Keyset cursor: the last case id of the previous page.</summary>
    public string? After { get; init; }

    public int Limit { get; init; } = 100;
}
