namespace Ripcord.Simulation;

/// <summary>A guarantee of the cancellation protocol that a simulated run broke.</summary>
public sealed class InvariantViolation(string invariant, string detail) : Exception($"{invariant}: {detail}")
{
    public string Invariant { get; } = invariant;
}
