using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>An agent's heartbeat (ask the task grain; replies <see cref="HeartbeatResult"/>).</summary>
public sealed record Heartbeat
{
    public required string LeaseToken { get; init; }

    public JsonElement? Progress { get; init; }

    public Usage? Usage { get; init; }

    public Usage? Estimate { get; init; }
}
