namespace Ripcord.Grains;

/// <summary>Outbox payload (<see cref="OutboxTopics.ResourceRelease"/>): call a resource's release webhook, attempt <see cref="Attempt"/>.</summary>
public sealed record ResourceReleaseRequest(string CaseId, string ResourceId, string? Kind, string TaskId, string Url, string Method, int Attempt);
