namespace Ripcord.Client.Models;

/// <summary>A resource in a case's registry.</summary>
public sealed record CaseResource
{
    /// <summary>The id the agent registered the resource under.</summary>
    public string ResourceId { get; init; } = string.Empty;

    /// <summary>A free-form kind, e.g. <c>vm</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The task that provisioned it.</summary>
    public string? TaskId { get; init; }

    /// <summary>Held, releasing, released or orphaned.</summary>
    public ResourceStatus Status { get; init; }

    /// <summary>How many release attempts the registry made.</summary>
    public int Attempts { get; init; }

    /// <summary>The error of the last failed release attempt.</summary>
    public string? LastError { get; init; }
}
