namespace Ripcord.Contracts;

/// <summary>The snake_case API names of the lifecycle enums (the same strings their JSON converters write).</summary>
public static class ApiNames
{
    public static string Of(CaseStatus status) => status switch
    {
        CaseStatus.Running => "running",
        CaseStatus.Completed => "completed",
        CaseStatus.Failed => "failed",
        CaseStatus.CancelPending => "cancel_pending",
        CaseStatus.Cancelling => "cancelling",
        CaseStatus.ForceCancelling => "force_cancelling",
        CaseStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Of(CaseTaskStatus status) => status switch
    {
        CaseTaskStatus.Pending => "pending",
        CaseTaskStatus.Ready => "ready",
        CaseTaskStatus.Running => "running",
        CaseTaskStatus.Cancelling => "cancelling",
        CaseTaskStatus.Cancelled => "cancelled",
        CaseTaskStatus.Completed => "completed",
        CaseTaskStatus.Failed => "failed",
        CaseTaskStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Of(ResourceStatus status) => status switch
    {
        ResourceStatus.Held => "held",
        ResourceStatus.Releasing => "releasing",
        ResourceStatus.Released => "released",
        ResourceStatus.Orphaned => "orphaned",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Of(CancelMode mode) => mode == CancelMode.Force ? "force" : "standard";
}
