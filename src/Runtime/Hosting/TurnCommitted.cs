namespace Ripcord.Runtime;

/// <summary>Raised after a turn committed: which grain, its new state and version, and how many messages it took.</summary>
public readonly record struct TurnCommitted(GrainId Grain, object? State, long Version, int Handled, int DeadLettered);
