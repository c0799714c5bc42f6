using System.Text.Json;

namespace Ripcord.Contracts.Tasks;

/// <summary>
/// Answer to <see cref="ClaimTask"/>: <see cref="CommandStatus.Ok"/> with the lease, <see cref="CommandStatus.Conflict"/>
/// when the task is not ready (someone else has it, or it ended), <see cref="CommandStatus.TaskNotFound"/> when it never started.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.tasks.claim-result")]
public sealed record ClaimResult
{
    [Id(0)]
    public CommandStatus Status { get; init; }

    [Id(1)]
    public string? CaseId { get; init; }

    [Id(2)]
    public string? TaskId { get; init; }

    [Id(3)]
    public string? Agent { get; init; }

    [Id(4)]
    public JsonElement? Input { get; init; }

    [Id(5)]
    public JsonElement? Checkpoint { get; init; }

    [Id(6)]
    public string? LeaseToken { get; init; }

    [Id(7)]
    public double HeartbeatSeconds { get; init; }

    [Id(8)]
    public int Attempt { get; init; }

    [Id(9)]
    public string? Error { get; init; }
}
