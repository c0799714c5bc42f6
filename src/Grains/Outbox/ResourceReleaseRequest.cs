namespace Ripcord.Grains.Outbox;

/// <summary>Outbox payload (<see cref="OutboxTopics.ResourceRelease"/>): call a resource's release webhook, attempt <see cref="Attempt"/>.</summary>
[GenerateSerializer]
[Alias("ripcord.outbox.resource-release-request")]
public sealed record ResourceReleaseRequest([property: Id(0)] string CaseId, [property: Id(1)] string ResourceId, [property: Id(2)] string? Kind, [property: Id(3)] string TaskId, [property: Id(4)] string Url, [property: Id(5)] string Method, [property: Id(6)] int Attempt);
