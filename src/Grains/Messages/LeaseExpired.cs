namespace Ripcord.Grains;

/// <summary>Reminder of the task grain: no heartbeat came for the lease <see cref="LeaseToken"/> in time.</summary>
public sealed record LeaseExpired(string LeaseToken);
