using System.Text.Json;

namespace Ripcord.Contracts;

/// <summary>One entry of <c>tasks</c> in a case: a task node or a built-in join (which has no agent).</summary>
[GenerateSerializer]
[Alias("ripcord.views.task-view")]
public sealed record TaskView
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public required string Node { get; init; }

    [Id(2)]
    public CaseTaskStatus Status { get; init; }

    /// <summary>The agent type of the node; null for a join.</summary>
    [Id(3)]
    public string? Agent { get; init; }

    /// <summary>The agent instance holding (or that last held) the lease.</summary>
    [Id(4)]
    public string? AgentId { get; init; }

    [Id(5)]
    public int Attempt { get; init; }

    [Id(6)]
    public TaskCancelView? Cancel { get; init; }

    /// <summary>The last progress the agent reported on a heartbeat (free-form).</summary>
    [Id(7)]
    public JsonElement? Progress { get; init; }

    [Id(8)]
    public DateTimeOffset? LastHeartbeatAt { get; init; }

    [Id(9)]
    public Usage? Usage { get; init; }

    [Id(10)]
    public Usage? Estimate { get; init; }

    [Id(11)]
    public JsonElement? Output { get; init; }

    [Id(12)]
    public string? Error { get; init; }

    /// <summary>When the agent last saved a checkpoint on a heartbeat; null when it never did.</summary>
    [Id(13)]
    public DateTimeOffset? CheckpointSavedAt { get; init; }
}
