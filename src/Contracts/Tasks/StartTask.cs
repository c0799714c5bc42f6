using System.Text.Json;

namespace Ripcord.Contracts.Tasks;

/// <summary>Case grain to task grain: the node's predecessors are done (or it is a fallback); make it ready.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.start-task")]
public sealed record StartTask
{
    [Id(0)]
    public required NodeDefinition Node { get; init; }

    [Id(1)]
    public JsonElement? Input { get; init; }

    /// <summary>For a fallback: the cancelled task's checkpoint.</summary>
    [Id(2)]
    public JsonElement? Checkpoint { get; init; }

    [Id(3)]
    public TaskSettings Settings { get; init; } = TaskSettings.Default;
}
