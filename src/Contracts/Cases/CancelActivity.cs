using System.Collections.Immutable;

namespace Ripcord.Contracts.Cases;

/// <summary>Cancel Activity of one or several tasks with one signal (ask the case grain; replies <see cref="CancelActivityResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.cases.cancel-activity")]
public sealed record CancelActivity
{
    [Id(0)]
    public required ImmutableArray<string> TaskIds { get; init; }

    [Id(1)]
    public required string RequestedBy { get; init; }

    [Id(2)]
    public bool HasAdminRole { get; init; }

    [Id(3)]
    public string? Reason { get; init; }
}
