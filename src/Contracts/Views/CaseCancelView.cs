namespace Ripcord.Contracts;

/// <summary>The <c>cancel</c> object of a case: who asked for a Cancel Case, how and when.</summary>
public sealed record CaseCancelView
{
    public CancelMode Mode { get; init; }

    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public string? Reason { get; init; }

    /// <summary>End of the confirmation hold, when there is one.</summary>
    public DateTimeOffset? HoldUntil { get; init; }

    /// <summary>When the cancel was carried out (at once, on confirm, or when the hold ended); null while held.</summary>
    public DateTimeOffset? ExecutedAt { get; init; }

    /// <summary>Set when the cancel was withdrawn during its hold (a false cancellation).</summary>
    public DateTimeOffset? OverriddenAt { get; init; }

    public string? OverriddenBy { get; init; }
}
