namespace Ripcord.Client.Models;

/// <summary>The cancel request recorded on a case, if any.</summary>
public sealed record CaseCancelState
{
    /// <summary>Standard or force.</summary>
    public CancelMode Mode { get; init; }

    /// <summary>The principal who asked for the cancel.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>When the cancel was requested.</summary>
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>The reason given with the request.</summary>
    public string? Reason { get; init; }

    /// <summary>When the confirmation hold ends, for a cancel in a hold.</summary>
    public DateTimeOffset? HoldUntil { get; init; }

    /// <summary>When the cancel started running (after its hold, if any).</summary>
    public DateTimeOffset? ExecutedAt { get; init; }

    /// <summary>When the cancel was withdrawn during its hold.</summary>
    public DateTimeOffset? OverriddenAt { get; init; }

    /// <summary>Who withdrew the cancel.</summary>
    public string? OverriddenBy { get; init; }
}
