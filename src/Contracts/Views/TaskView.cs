using System.Text.Json;

namespace Ripcord.Contracts;

/// <summary>One entry of <c>tasks</c> in a case: a task node or a built-in join (which has no agent).</summary>
public sealed record TaskView
{
    public required string TaskId { get; init; }

    public required string Node { get; init; }

    public CaseTaskStatus Status { get; init; }

    /// <summary>The agent type of the node; null for a join.</summary>
    public string? Agent { get; init; }

    /// <summary>The agent instance holding (or that last held) the lease.</summary>
    public string? AgentId { get; init; }

    public int Attempt { get; init; }

    public TaskCancelView? Cancel { get; init; }

    /// <summary>The last progress the agent reported on a heartbeat (free-form).</summary>
    public JsonElement? Progress { get; init; }

    public DateTimeOffset? LastHeartbeatAt { get; init; }

    public Usage? Usage { get; init; }

    public Usage? Estimate { get; init; }

    public JsonElement? Output { get; init; }

    public string? Error { get; init; }
}
