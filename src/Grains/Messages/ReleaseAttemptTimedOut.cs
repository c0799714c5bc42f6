namespace Ripcord.Grains;

/// <summary>Reminder of the registry: release attempt <see cref="Attempt"/> got no answer in time.</summary>
public sealed record ReleaseAttemptTimedOut(string ResourceId, int Attempt);
