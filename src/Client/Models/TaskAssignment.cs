using System.Text.Json;

namespace Ripcord.Client.Models;

/// <summary>A task handed to an agent by <c>POST /api/v1/agents/{agentId}/poll</c>.</summary>
public sealed record TaskAssignment
{
    /// <summary>The case the task belongs to.</summary>
    public string CaseId { get; init; } = string.Empty;

    /// <summary>The task id.</summary>
    public string TaskId { get; init; } = string.Empty;

    /// <summary>The agent type the task is for.</summary>
    public string Agent { get; init; } = string.Empty;

    /// <summary>The task's input.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>A checkpoint to resume from (for a fallback task, the cancelled task's checkpoint).</summary>
    public JsonElement? Checkpoint { get; init; }

    /// <summary>The fencing token every later call about this task must carry.</summary>
    public string LeaseToken { get; init; } = string.Empty;

    /// <summary>How often the server expects a heartbeat.</summary>
    public double HeartbeatSeconds { get; init; }
}
