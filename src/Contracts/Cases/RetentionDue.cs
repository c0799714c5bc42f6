namespace Ripcord.Contracts.Cases;

/// <summary>Reminder of the case grain: the retention period of the case that ended at <see cref="EndedAt"/> is over.</summary>
[GenerateSerializer]
[Alias("ripcord.cases.retention-due")]
public sealed record RetentionDue([property: Id(0)] DateTimeOffset EndedAt);
