using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Task grain to registry: the task ended on a cancel path (acknowledged or fenced); release what it still holds.</summary>
public sealed record ReleaseTaskResources
{
    public required string TaskId { get; init; }

    public string? Reason { get; init; }

    public ReleaseSettings Settings { get; init; } = ReleaseSettings.Default;
}
