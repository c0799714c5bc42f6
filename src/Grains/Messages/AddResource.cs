using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Task grain to registry: an agent registered a resource.</summary>
public sealed record AddResource
{
    public required string TaskId { get; init; }

    public string? AgentId { get; init; }

    public required string ResourceId { get; init; }

    public string? Kind { get; init; }

    public ResourceReleaseAction? Release { get; init; }

    /// <summary>Registered by a fenced agent: release it at once.</summary>
    public bool ReleaseNow { get; init; }

    public ReleaseSettings Settings { get; init; } = ReleaseSettings.Default;
}
