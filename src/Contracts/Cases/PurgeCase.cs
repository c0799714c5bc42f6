namespace Ripcord.Contracts.Cases;

/// <summary>
/// An administrator erases an ended case's payloads now, without waiting for its retention period (ask the case
/// grain; replies <see cref="PurgeCaseResult"/>). Idempotent: a case already redacted answers with its first redaction.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.cases.purge-case")]
public sealed record PurgeCase
{
    [Id(0)]
    public required string RequestedBy { get; init; }

    [Id(1)]
    public string? Reason { get; init; }
}
