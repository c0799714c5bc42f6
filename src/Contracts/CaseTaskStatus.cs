using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>
/// The lifecycle of a task (one node of a case). Terminal: <see cref="Cancelled"/>, <see cref="Completed"/>,
/// <see cref="Failed"/>, <see cref="Skipped"/>. Named so as not to clash with <see cref="System.Threading.Tasks.TaskStatus"/>.
/// </summary>
[JsonConverter(typeof(ApiEnumConverter<CaseTaskStatus>))]
[GenerateSerializer]
[Alias("ripcord.enums.case-task-status")]
public enum CaseTaskStatus
{
    /// <summary>Waiting for its predecessors (or, for a fallback, for its source to be cancelled).</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Started by the case; waiting for an agent to claim it.</summary>
    [JsonStringEnumMemberName("ready")]
    Ready,

    /// <summary>Leased to an agent, which heartbeats.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>A cancel signal was committed; waiting for the agent's acknowledgement or the escalation ladder.</summary>
    [JsonStringEnumMemberName("cancelling")]
    Cancelling,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    [JsonStringEnumMemberName("completed")]
    Completed,

    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Never ran: its path was not taken.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,
}
