using System.Text.Json;

namespace Ripcord.Client.Models;

/// <summary>One task of a case, as <c>GET /api/v1/cases/{caseId}</c> describes it.</summary>
public sealed record CaseTask
{
    /// <summary>The task id; equal to the node id (a node runs at most once per case).</summary>
    public string TaskId { get; init; } = string.Empty;

    /// <summary>The process node this task runs.</summary>
    public string? Node { get; init; }

    /// <summary>The task's status.</summary>
    public CaseTaskStatus Status { get; init; }

    /// <summary>The agent type that runs the task; <see langword="null"/> for a built-in join.</summary>
    public string? Agent { get; init; }

    /// <summary>The agent holding (or last holding) the task's lease.</summary>
    public string? AgentId { get; init; }

    /// <summary>How many times the task was handed to an agent.</summary>
    public int Attempt { get; init; }

    /// <summary>The task's cancellation, if it is being or was cancelled.</summary>
    public TaskCancelState? Cancel { get; init; }

    /// <summary>Compute the agent reported.</summary>
    public Usage? Usage { get; init; }

    /// <summary>Compute the agent expected the task to need in total.</summary>
    public Usage? Estimate { get; init; }

    /// <summary>What went wrong, when the task failed.</summary>
    public string? Error { get; init; }

    /// <summary>The task's output, once completed.</summary>
    public JsonElement? Output { get; init; }
}
