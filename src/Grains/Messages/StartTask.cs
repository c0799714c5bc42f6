using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Case grain to task grain: the node's predecessors are done (or it is a fallback); make it ready.</summary>
public sealed record StartTask
{
    public required NodeDefinition Node { get; init; }

    public JsonElement? Input { get; init; }

    /// <summary>For a fallback: the cancelled task's checkpoint.</summary>
    public JsonElement? Checkpoint { get; init; }

    public TaskSettings Settings { get; init; } = TaskSettings.Default;
}
