namespace Ripcord.Contracts.Tasks;

/// <summary>An agent reports that its attempt failed (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.fail-task")]
public sealed record FailTask
{
    [Id(0)]
    public required string LeaseToken { get; init; }

    [Id(1)]
    public string? Error { get; init; }
}
