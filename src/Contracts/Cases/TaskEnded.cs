using System.Text.Json;

namespace Ripcord.Contracts.Cases;

/// <summary>Task grain to case grain: the task reached a terminal status.</summary>
[GenerateSerializer]
[Alias("ripcord.cases.task-ended")]
public sealed record TaskEnded
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public CaseTaskStatus Status { get; init; }

    [Id(2)]
    public int Attempt { get; init; }

    [Id(3)]
    public string? AgentId { get; init; }

    [Id(4)]
    public JsonElement? Output { get; init; }

    /// <summary>The checkpoint the agent sent with its cancel acknowledgement, for the fallback.</summary>
    [Id(5)]
    public JsonElement? Checkpoint { get; init; }

    [Id(6)]
    public string? Error { get; init; }

    [Id(7)]
    public string? Reason { get; init; }

    /// <summary>Set when the task ended on a cancel path.</summary>
    [Id(8)]
    public TaskCancelMeasure? Cancel { get; init; }

    /// <summary>How many distinct resources the task handed to the registry before it ended.</summary>
    [Id(9)]
    public int Resources { get; init; }
}
