namespace Ripcord.Grains;

/// <summary>Outbox handler to registry: the outcome of one release webhook call.</summary>
public sealed record ReleaseAttemptCompleted
{
    public required string ResourceId { get; init; }

    public int Attempt { get; init; }

    public bool Success { get; init; }

    public int? StatusCode { get; init; }

    public string? Error { get; init; }
}
