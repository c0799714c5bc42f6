namespace Ripcord.Contracts.Tasks;

/// <summary>An agent registers a resource it provisioned (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.register-resource")]
public sealed record RegisterResource
{
    [Id(0)]
    public required string LeaseToken { get; init; }

    [Id(1)]
    public required string ResourceId { get; init; }

    [Id(2)]
    public string? Kind { get; init; }

    /// <summary>How to release it; null means the registry cannot (it ends orphaned unless the agent frees it).</summary>
    [Id(3)]
    public ResourceReleaseAction? Release { get; init; }
}
