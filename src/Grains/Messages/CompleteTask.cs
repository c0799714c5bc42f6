using System.Text.Json;

namespace Ripcord.Grains;

/// <summary>An agent delivers its output (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
public sealed record CompleteTask
{
    public required string LeaseToken { get; init; }

    public JsonElement? Output { get; init; }
}
