namespace Ripcord.Grains;

/// <summary>Task grain to registry: the agent freed the resource itself.</summary>
public sealed record ResourceFreed
{
    public required string TaskId { get; init; }

    public string? AgentId { get; init; }

    public required string ResourceId { get; init; }
}
