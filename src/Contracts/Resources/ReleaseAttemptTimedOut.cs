namespace Ripcord.Contracts.Resources;

/// <summary>Reminder of the registry: release attempt <see cref="Attempt"/> got no answer in time.</summary>
[GenerateSerializer]
[Alias("ripcord.resources.release-attempt-timed-out")]
public sealed record ReleaseAttemptTimedOut([property: Id(0)] string ResourceId, [property: Id(1)] int Attempt);
