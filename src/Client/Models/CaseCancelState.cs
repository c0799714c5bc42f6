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
}
