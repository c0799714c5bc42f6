using System.Text.Json;
using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>An agent says it stopped after a cancel signal (ask the task grain; replies <see cref="TaskCommandResult"/>).</summary>
public sealed record AckCancel
{
    public required string LeaseToken { get; init; }

    /// <summary>Partial work handed to the fallback (checkpoint-preserving cancel).</summary>
    public JsonElement? Checkpoint { get; init; }

    /// <summary>In-progress state kept in the case history (audit-preserving cancel).</summary>
    public JsonElement? Snapshot { get; init; }

    /// <summary>Final usage, for the compute-saved measure.</summary>
    public Usage? Usage { get; init; }
}
