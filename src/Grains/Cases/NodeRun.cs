using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains.Cases;

/// <summary>
/// The case's record of one node. For a join and for a task that never started, <see cref="Status"/> is decided
/// here; once a task started, its task grain is authoritative and this mirrors the outcome it reports.
/// </summary>
public sealed record NodeRun
{
    public required string NodeId { get; init; }

    public CaseTaskStatus Status { get; init; }

    public JsonElement? Input { get; init; }

    public JsonElement? Output { get; init; }

    /// <summary>The checkpoint the task left when it was cancelled.</summary>
    public JsonElement? Checkpoint { get; init; }

    public string? Error { get; init; }

    public string? AgentId { get; init; }

    public int Attempt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Set when the case asked the task to stop (Cancel Activity, Cancel Case or wind-down).</summary>
    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>Set when the cancel sent was a force.</summary>
    public bool ForceRequested { get; init; }

    /// <summary>How many distinct resources the task handed to the registry before it ended (from its task grain).</summary>
    public int Resources { get; init; }
}
