using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>An agent registers a resource it provisioned (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
public sealed record RegisterResource
{
    public required string LeaseToken { get; init; }

    public required string ResourceId { get; init; }

    public string? Kind { get; init; }

    /// <summary>How to release it; null means the registry cannot (it ends orphaned unless the agent frees it).</summary>
    public ResourceReleaseAction? Release { get; init; }
}
