using System.Text.Json;

namespace Ripcord.Contracts.Tasks;

/// <summary>An agent's heartbeat (ask the task grain; replies <see cref="HeartbeatResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.heartbeat")]
public sealed record Heartbeat
{
    [Id(0)]
    public required string LeaseToken { get; init; }

    [Id(1)]
    public JsonElement? Progress { get; init; }

    [Id(2)]
    public Usage? Usage { get; init; }

    [Id(3)]
    public Usage? Estimate { get; init; }

    /// <summary>State to resume from, saved with the task (the latest wins): a fallback and a retried attempt get it.</summary>
    [Id(4)]
    public JsonElement? Checkpoint { get; init; }
}
