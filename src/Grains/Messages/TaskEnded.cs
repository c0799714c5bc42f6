using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Task grain to case grain: the task reached a terminal status.</summary>
public sealed record TaskEnded
{
    public required string TaskId { get; init; }

    public CaseTaskStatus Status { get; init; }

    public int Attempt { get; init; }

    public string? AgentId { get; init; }

    public JsonElement? Output { get; init; }

    /// <summary>The checkpoint the agent sent with its cancel acknowledgement, for the fallback.</summary>
    public JsonElement? Checkpoint { get; init; }

    public string? Error { get; init; }

    public string? Reason { get; init; }

    /// <summary>Set when the task ended on a cancel path.</summary>
    public TaskCancelMeasure? Cancel { get; init; }
}
