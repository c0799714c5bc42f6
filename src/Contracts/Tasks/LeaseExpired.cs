namespace Ripcord.Contracts.Tasks;

/// <summary>Reminder of the task grain: no heartbeat came for the lease <see cref="LeaseToken"/> in time.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.lease-expired")]
public sealed record LeaseExpired([property: Id(0)] string LeaseToken);
