using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ripcord.Contracts;

namespace Ripcord.Grains.Tasks;

/// <summary>The persistent state of a task grain. <see cref="Node"/> is null until the case starts the task.</summary>
public sealed record TaskState
{
    public required string CaseId { get; init; }

    public required string TaskId { get; init; }

    public NodeDefinition? Node { get; init; }

    public CaseTaskStatus Status { get; init; }

    public TaskSettings Settings { get; init; } = TaskSettings.Default;

    public int Attempt { get; init; }

    public JsonElement? Input { get; init; }

    /// <summary>
    /// The latest checkpoint: handed in at start (a fallback gets its cancelled source's), then each one an agent saves
    /// on a heartbeat. A retried attempt, and this task's own fallback, start from it.
    /// </summary>
    public JsonElement? Checkpoint { get; init; }

    /// <summary>When an agent last saved <see cref="Checkpoint"/>; null while it is the one handed in at start.</summary>
    public DateTimeOffset? CheckpointSavedAt { get; init; }

    public DateTimeOffset? ReadyAt { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? AgentId { get; init; }

    /// <summary>The current (or last) lease token; valid only while running or cancelling and not fenced.</summary>
    public string? LeaseToken { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Tokens of earlier attempts and fenced leases: calls with them are late and recorded.</summary>
    public ImmutableArray<string> RevokedTokens { get; init; } = [];

    public string? KillHookUrl { get; init; }

    public DateTimeOffset? LastHeartbeatAt { get; init; }

    public JsonElement? Progress { get; init; }

    public Usage? Usage { get; init; }

    public Usage? Estimate { get; init; }

    public JsonElement? Output { get; init; }

    public string? Error { get; init; }

    public TaskCancelState? Cancel { get; init; }

    /// <summary>
    /// The distinct ids of the resources the task handed to its case's registry before it ended (any attempt): its end
    /// asks the registry to release them, and tells the case how many the registry must have heard of before it settles.
    /// </summary>
    public ImmutableArray<string> ResourceIds { get; init; } = [];

    [JsonIgnore]
    public bool RegisteredResources => !ResourceIds.IsEmpty;

    /// <summary>When the case was redacted and this task's payloads erased (data minimization).</summary>
    public DateTimeOffset? RedactedAt { get; init; }

    /// <summary>Set once a late heartbeat was recorded, so a zombie agent cannot flood the history.</summary>
    public bool LateHeartbeatRecorded { get; init; }

    [JsonIgnore]
    public bool Exists => Node is not null;

    /// <summary>True while an agent holds a live lease.</summary>
    [JsonIgnore]
    public bool HasLiveLease => Status is CaseTaskStatus.Running or CaseTaskStatus.Cancelling && Cancel?.Fenced != true && LeaseToken is not null;

    public static TaskState Empty(string caseId, string taskId) => new() { CaseId = caseId, TaskId = taskId };
}
