namespace Ripcord.Contracts;

/// <summary>One entry of <c>resources</c> in a case.</summary>
public sealed record ResourceView
{
    public required string ResourceId { get; init; }

    public string? Kind { get; init; }

    public required string TaskId { get; init; }

    public ResourceStatus Status { get; init; }

    /// <summary>Release attempts made by the registry.</summary>
    public int Attempts { get; init; }

    public string? LastError { get; init; }
}
