namespace Ripcord.Contracts;

/// <summary>One entry of <c>resources</c> in a case.</summary>
[GenerateSerializer]
[Alias("ripcord.views.resource-view")]
public sealed record ResourceView
{
    [Id(0)]
    public required string ResourceId { get; init; }

    [Id(1)]
    public string? Kind { get; init; }

    [Id(2)]
    public required string TaskId { get; init; }

    [Id(3)]
    public ResourceStatus Status { get; init; }

    /// <summary>Release attempts made by the registry.</summary>
    [Id(4)]
    public int Attempts { get; init; }

    [Id(5)]
    public string? LastError { get; init; }
}
