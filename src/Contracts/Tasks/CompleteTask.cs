using System.Text.Json;

namespace Ripcord.Contracts.Tasks;

/// <summary>An agent delivers its output (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.complete-task")]
public sealed record CompleteTask
{
    [Id(0)]
    public required string LeaseToken { get; init; }

    [Id(1)]
    public JsonElement? Output { get; init; }
}
