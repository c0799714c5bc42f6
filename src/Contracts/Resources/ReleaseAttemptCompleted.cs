namespace Ripcord.Contracts.Resources;

/// <summary>Outbox handler to registry: the outcome of one release webhook call.</summary>
[GenerateSerializer]
[Alias("ripcord.resources.release-attempt-completed")]
public sealed record ReleaseAttemptCompleted
{
    [Id(0)]
    public required string ResourceId { get; init; }

    [Id(1)]
    public int Attempt { get; init; }

    [Id(2)]
    public bool Success { get; init; }

    [Id(3)]
    public int? StatusCode { get; init; }

    [Id(4)]
    public string? Error { get; init; }
}
