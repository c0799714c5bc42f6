namespace Ripcord.Client;

/// <summary>Options of <see cref="CaseHandle.ConfirmCancelAsync"/>.</summary>
public sealed class ConfirmCancelOptions
{
    /// <summary>Why the held cancel is run now; recorded in the case's history when the server keeps it. Default none.</summary>
    public string? Reason { get; set; }
}
