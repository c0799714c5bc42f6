namespace Ripcord.Contracts.Resources;

/// <summary>Task grain to registry: the task ended on a cancel path (acknowledged or fenced); release what it still holds.</summary>
[GenerateSerializer]
[Alias("ripcord.resources.release-task-resources")]
public sealed record ReleaseTaskResources
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public string? Reason { get; init; }

    [Id(2)]
    public ReleaseSettings Settings { get; init; } = ReleaseSettings.Default;
}
