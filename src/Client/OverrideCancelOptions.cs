namespace Ripcord.Client;

/// <summary>Options of <see cref="CaseHandle.OverrideCancelAsync"/>.</summary>
public sealed class OverrideCancelOptions
{
    /// <summary>Why the held cancel is withdrawn; recorded in the case's history when the server keeps it. Default none.</summary>
    public string? Reason { get; set; }
}
