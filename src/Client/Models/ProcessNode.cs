using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ripcord.Client.Models;

/// <summary>One node of a process: a task run by an agent type, or a built-in join.</summary>
public sealed record ProcessNode
{
    /// <summary>The node id (also the id of the task that runs it).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The agent type that runs the task; <see langword="null"/> for a join.</summary>
    public string? Agent { get; init; }

    /// <summary>The task's time budget; when exceeded the task is cancelled as if by Cancel Activity.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>The node to start when this task is cancelled (the fallback route).</summary>
    public string? OnCancel { get; init; }

    /// <summary>
    /// With <see cref="OnCancel"/>: how long the fallback waits for this task to acknowledge its cancel (and hand over
    /// its checkpoint) before it starts with the latest checkpoint saved. 0: at once. Default: the server's (2 s).
    /// </summary>
    public double? CheckpointWaitSeconds { get; init; }

    /// <summary><c>first</c> (XOR join) or <c>all</c> for a built-in join node; <see langword="null"/> for a task.</summary>
    public string? Join { get; init; }

    /// <summary>Attempts before the task fails (a lost lease or a reported failure costs one). Default: the server's (3).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Fields this client version does not model, kept for round trips.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; init; }
}
