using System.Text.Json;

namespace Ripcord.Grains;

/// <summary>
/// Answer to <see cref="ClaimTask"/>: <see cref="CommandStatus.Ok"/> with the lease, <see cref="CommandStatus.Conflict"/>
/// when the task is not ready (someone else has it, or it ended), <see cref="CommandStatus.TaskNotFound"/> when it never started.
/// </summary>
public sealed record ClaimResult
{
    public CommandStatus Status { get; init; }

    public string? CaseId { get; init; }

    public string? TaskId { get; init; }

    public string? Agent { get; init; }

    public JsonElement? Input { get; init; }

    public JsonElement? Checkpoint { get; init; }

    public string? LeaseToken { get; init; }

    public double HeartbeatSeconds { get; init; }

    public int Attempt { get; init; }

    public string? Error { get; init; }
}
