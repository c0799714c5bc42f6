namespace Ripcord.Grains;

/// <summary>Reminder of the registry: time for release attempt <see cref="Attempt"/> of a resource.</summary>
public sealed record ReleaseRetryDue(string ResourceId, int Attempt);
