using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Cancel Case (ask the case grain; replies <see cref="CancelCaseResult"/>).</summary>
public sealed record CancelCase
{
    public required string RequestedBy { get; init; }

    /// <summary>True when the principal has the global admin role.</summary>
    public bool HasAdminRole { get; init; }

    public CancelMode Mode { get; init; }

    public string? Reason { get; init; }

    /// <summary>Overrides the case's grace period for this cancel.</summary>
    public double? GracePeriodSeconds { get; init; }

    /// <summary>Overrides the case's confirmation hold for this cancel (0: none).</summary>
    public double? HoldSeconds { get; init; }
}
