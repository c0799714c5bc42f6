namespace Ripcord.Client;

/// <summary>Options of <see cref="CaseHandle.CancelTaskAsync"/> and <see cref="CaseHandle.CancelTasksAsync"/> (Cancel Activity).</summary>
public sealed class CancelTaskOptions
{
    /// <summary>Why the task is cancelled; recorded in the case's history. Default none.</summary>
    public string? Reason { get; set; }
}
