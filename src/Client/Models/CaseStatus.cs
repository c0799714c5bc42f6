using System.Text.Json.Serialization;

namespace Ripcord.Client.Models;

/// <summary>The lifecycle status of a case, as the API reports it (snake_case on the wire).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<CaseStatus>))]
public enum CaseStatus
{
    /// <summary>A status this version of the client does not know.</summary>
    Unknown = 0,

    /// <summary><c>running</c>: tasks are being worked on.</summary>
    Running,

    /// <summary><c>completed</c>: a terminal node produced the case's output.</summary>
    Completed,

    /// <summary><c>failed</c>: the case ended in error.</summary>
    Failed,

    /// <summary><c>cancel_pending</c>: a cancel waits out its confirmation hold; it can still be confirmed or overridden.</summary>
    CancelPending,

    /// <summary><c>cancelling</c>: a standard cancel is in progress; agents may clean up within the grace period.</summary>
    Cancelling,

    /// <summary><c>force_cancelling</c>: a force cancel is in progress; tasks are fenced at once.</summary>
    ForceCancelling,

    /// <summary><c>cancelled</c>: every task stopped and every resource was released or declared orphaned.</summary>
    Cancelled,
}
