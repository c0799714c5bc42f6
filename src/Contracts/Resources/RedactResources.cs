namespace Ripcord.Contracts.Resources;

/// <summary>
/// Case grain to registry grain: the case was redacted; keep only each resource's id, task and status (a resource
/// still releasing keeps its release action until it settles).
/// </summary>
[GenerateSerializer]
[Alias("ripcord.resources.redact-resources")]
public sealed record RedactResources([property: Id(0)] DateTimeOffset RedactedAt);
