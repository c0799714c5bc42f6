namespace Ripcord.Contracts.Cases;

/// <summary>Cancel Case (ask the case grain; replies <see cref="CancelCaseResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.cases.cancel-case")]
public sealed record CancelCase
{
    [Id(0)]
    public required string RequestedBy { get; init; }

    /// <summary>True when the principal has the global admin role.</summary>
    [Id(1)]
    public bool HasAdminRole { get; init; }

    [Id(2)]
    public CancelMode Mode { get; init; }

    [Id(3)]
    public string? Reason { get; init; }

    /// <summary>Overrides the case's grace period for this cancel.</summary>
    [Id(4)]
    public double? GracePeriodSeconds { get; init; }

    /// <summary>Overrides the case's confirmation hold for this cancel (0: none).</summary>
    [Id(5)]
    public double? HoldSeconds { get; init; }
}
