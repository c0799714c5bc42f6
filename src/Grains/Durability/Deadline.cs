namespace Ripcord.Grains.Durability;

/// <summary>A named point in time at which <see cref="Message"/> arrives at its grain (ack timeout, escalation step, hold, budget, retry).</summary>
public sealed record Deadline(string Name, DateTimeOffset DueAt, StoredMessage Message);
