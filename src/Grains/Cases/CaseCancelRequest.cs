using Ripcord.Contracts;

namespace Ripcord.Grains.Cases;

/// <summary>A Cancel Case request and what became of it.</summary>
public sealed record CaseCancelRequest
{
    public CancelMode Mode { get; init; }

    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public string? Reason { get; init; }

    public double GracePeriodSeconds { get; init; }

    public DateTimeOffset? HoldUntil { get; init; }

    public DateTimeOffset? ExecutedAt { get; init; }

    public DateTimeOffset? OverriddenAt { get; init; }

    public string? OverriddenBy { get; init; }
}
