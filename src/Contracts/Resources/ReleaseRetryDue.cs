namespace Ripcord.Contracts.Resources;

/// <summary>Reminder of the registry: time for release attempt <see cref="Attempt"/> of a resource.</summary>
[GenerateSerializer]
[Alias("ripcord.resources.release-retry-due")]
public sealed record ReleaseRetryDue([property: Id(0)] string ResourceId, [property: Id(1)] int Attempt);
