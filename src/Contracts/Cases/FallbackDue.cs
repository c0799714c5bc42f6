using System.Text.Json;

namespace Ripcord.Contracts.Cases;

/// <summary>
/// Task grain to case grain: a cancelled task's checkpoint wait ran out (or is 0) before it ended; start its
/// <c>onCancel</c> fallback with the latest checkpoint it saved. The task's own escalation goes on.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.cases.fallback-due")]
public sealed record FallbackDue
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public JsonElement? Checkpoint { get; init; }

    /// <summary>The node's checkpoint wait that ran out.</summary>
    [Id(2)]
    public double WaitedSeconds { get; init; }
}
