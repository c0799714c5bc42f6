using Ripcord.Client.Models;

namespace Ripcord.Client;

/// <summary>Options of <see cref="CaseHandle.CancelAsync"/> (Cancel Case).</summary>
public sealed class CancelOptions
{
    /// <summary>Standard (agents may clean up within the grace period) or force (fence at once). Default <see cref="CancelMode.Standard"/>.</summary>
    public CancelMode Mode { get; set; } = CancelMode.Standard;

    /// <summary>Why the case is cancelled; recorded in its history. Default none.</summary>
    public string? Reason { get; set; }

    /// <summary>A confirmation hold: the case goes <c>cancel_pending</c> and the cancel runs when the hold ends or is confirmed. Default: the process's.</summary>
    public double? HoldSeconds { get; set; }

    /// <summary>The grace period of a standard cancel. Default: the process's.</summary>
    public double? GracePeriodSeconds { get; set; }
}
