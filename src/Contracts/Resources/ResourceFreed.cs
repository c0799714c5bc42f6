namespace Ripcord.Contracts.Resources;

/// <summary>Task grain to registry: the agent freed the resource itself.</summary>
[GenerateSerializer]
[Alias("ripcord.resources.resource-freed")]
public sealed record ResourceFreed
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public string? AgentId { get; init; }

    [Id(2)]
    public required string ResourceId { get; init; }
}
