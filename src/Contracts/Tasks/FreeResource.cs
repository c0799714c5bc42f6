namespace Ripcord.Contracts.Tasks;

/// <summary>An agent says it freed a resource itself (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.free-resource")]
public sealed record FreeResource
{
    [Id(0)]
    public required string LeaseToken { get; init; }

    [Id(1)]
    public required string ResourceId { get; init; }
}
