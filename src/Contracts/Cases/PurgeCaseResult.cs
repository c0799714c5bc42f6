namespace Ripcord.Contracts.Cases;

/// <summary>
/// Answer to <see cref="PurgeCase"/>: <see cref="CommandStatus.Accepted"/> with when and by whom the case was redacted
/// (the history's payloads are erased right after), or why it was refused.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.cases.purge-case-result")]
public sealed record PurgeCaseResult([property: Id(0)] CommandStatus Status, [property: Id(1)] DateTimeOffset? RedactedAt, [property: Id(2)] string? RedactedBy, [property: Id(3)] string? Error = null);
