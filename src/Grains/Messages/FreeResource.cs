namespace Ripcord.Grains;

/// <summary>An agent says it freed a resource itself (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
public sealed record FreeResource
{
    public required string LeaseToken { get; init; }

    public required string ResourceId { get; init; }
}
