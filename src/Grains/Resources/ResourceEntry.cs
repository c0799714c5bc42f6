using Ripcord.Contracts;

namespace Ripcord.Grains.Resources;

/// <summary>One resource in a registry.</summary>
public sealed record ResourceEntry
{
    public required string ResourceId { get; init; }

    public string? Kind { get; init; }

    public required string TaskId { get; init; }

    public string? AgentId { get; init; }

    public ResourceStatus Status { get; init; }

    public ResourceReleaseAction? Release { get; init; }

    /// <summary>Release attempts started so far.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? LastError { get; init; }

    public string? Reason { get; init; }
}
