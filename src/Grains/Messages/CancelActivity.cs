using System.Collections.Immutable;

namespace Ripcord.Grains;

/// <summary>Cancel Activity of one or several tasks with one signal (ask the case grain; replies <see cref="CancelActivityResult"/>).</summary>
public sealed record CancelActivity
{
    public required ImmutableArray<string> TaskIds { get; init; }

    public required string RequestedBy { get; init; }

    public bool HasAdminRole { get; init; }

    public string? Reason { get; init; }
}
