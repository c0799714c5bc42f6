using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Case grain to task grain: cancel this task (Cancel Activity, Cancel Case, or winding down an ended case).</summary>
public sealed record CancelTask
{
    public CancelMode Mode { get; init; }

    public string? Reason { get; init; }

    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The grace period of a standard cancel.</summary>
    public double GracePeriodSeconds { get; init; }
}
