namespace Ripcord.Contracts.Resources;

/// <summary>Task grain to registry: an agent registered a resource.</summary>
[GenerateSerializer]
[Alias("ripcord.resources.add-resource")]
public sealed record AddResource
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public string? AgentId { get; init; }

    [Id(2)]
    public required string ResourceId { get; init; }

    [Id(3)]
    public string? Kind { get; init; }

    [Id(4)]
    public ResourceReleaseAction? Release { get; init; }

    /// <summary>Registered by a fenced agent: release it at once.</summary>
    [Id(5)]
    public bool ReleaseNow { get; init; }

    [Id(6)]
    public ReleaseSettings Settings { get; init; } = ReleaseSettings.Default;
}
