using System.Text.Json;

namespace Ripcord.Contracts.Tasks;

/// <summary>An agent says it stopped after a cancel signal (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.ack-cancel")]
public sealed record AckCancel
{
    [Id(0)]
    public required string LeaseToken { get; init; }

    /// <summary>Partial work handed to the fallback (checkpoint-preserving cancel).</summary>
    [Id(1)]
    public JsonElement? Checkpoint { get; init; }

    /// <summary>In-progress state kept in the case history (audit-preserving cancel).</summary>
    [Id(2)]
    public JsonElement? Snapshot { get; init; }

    /// <summary>Final usage, for the compute-saved measure.</summary>
    [Id(3)]
    public Usage? Usage { get; init; }
}
