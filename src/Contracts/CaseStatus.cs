using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>
/// The lifecycle of a case (process instance). Terminal: <see cref="Completed"/>, <see cref="Failed"/>,
/// <see cref="Cancelled"/>. Serialized as the snake_case names of the HTTP API.
/// </summary>
[JsonConverter(typeof(ApiEnumConverter<CaseStatus>))]
[GenerateSerializer]
[Alias("ripcord.enums.case-status")]
public enum CaseStatus
{
    /// <summary>Tasks are being started and run.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>A terminal node produced the case's output.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>A task failed after its last attempt.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>A cancel was requested with a confirmation hold; the case runs on until it is confirmed, overridden or the hold ends.</summary>
    [JsonStringEnumMemberName("cancel_pending")]
    CancelPending,

    /// <summary>Standard cancel: agents were told and have the grace period to stop.</summary>
    [JsonStringEnumMemberName("cancelling")]
    Cancelling,

    /// <summary>Force cancel: every task was fenced at once; resources are being released.</summary>
    [JsonStringEnumMemberName("force_cancelling")]
    ForceCancelling,

    /// <summary>Every task is terminal and every resource released or orphaned.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
