namespace Ripcord.Contracts;

/// <summary>The <c>cancel</c> object of a case: who asked for a Cancel Case, how and when.</summary>
[GenerateSerializer]
[Alias("ripcord.views.case-cancel-view")]
public sealed record CaseCancelView
{
    [Id(0)]
    public CancelMode Mode { get; init; }

    [Id(1)]
    public required string RequestedBy { get; init; }

    [Id(2)]
    public DateTimeOffset RequestedAt { get; init; }

    [Id(3)]
    public string? Reason { get; init; }

    /// <summary>End of the confirmation hold, when there is one.</summary>
    [Id(4)]
    public DateTimeOffset? HoldUntil { get; init; }

    /// <summary>When the cancel was carried out (at once, on confirm, or when the hold ended); null while held.</summary>
    [Id(5)]
    public DateTimeOffset? ExecutedAt { get; init; }

    /// <summary>Set when the cancel was withdrawn during its hold (a false cancellation).</summary>
    [Id(6)]
    public DateTimeOffset? OverriddenAt { get; init; }

    [Id(7)]
    public string? OverriddenBy { get; init; }
}
