namespace Ripcord.Runtime.Storage;

/// <summary>A grain's stored state as an activation starts: state (null when it never committed), version and the new epoch.</summary>
public sealed record GrainSnapshot(object? State, long Version, long Epoch);
