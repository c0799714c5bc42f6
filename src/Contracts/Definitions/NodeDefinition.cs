using System.Text.Json.Serialization;

namespace Ripcord.Contracts;

/// <summary>
/// A node of a process: a task run by an agent of type <see cref="Agent"/>, or a built-in join
/// (<see cref="Join"/> <c>"first"</c> or <c>"all"</c>, no agent).
/// </summary>
[GenerateSerializer]
[Alias("ripcord.definitions.node-definition")]
public sealed record NodeDefinition
{
    public const int DefaultMaxAttempts = 3;

    /// <summary>How long a cancelled task's fallback waits for its acknowledgement and checkpoint by default.</summary>
    public const double DefaultCheckpointWaitSeconds = 2;

    /// <summary>The longest <see cref="CheckpointWaitSeconds"/> accepted: a fallback is the quick path, not a second ladder.</summary>
    public const double MaxCheckpointWaitSeconds = 3600;

    [Id(0)]
    public string Id { get; init; } = "";

    [Id(1)]
    public string? Agent { get; init; }

    /// <summary>The join mode as written (<c>first</c>, <c>all</c>); validated, see <see cref="JoinMode"/>.</summary>
    [Id(2)]
    public string? Join { get; init; }

    /// <summary>Time budget of the task; when exceeded it is cancelled as by Cancel Activity. Null: none.</summary>
    [Id(3)]
    public double? TimeoutSeconds { get; init; }

    /// <summary>The node that starts (with this task's input and checkpoint) when this task is cancelled.</summary>
    [Id(4)]
    public string? OnCancel { get; init; }

    /// <summary>Attempts before the task fails (a lost lease or a reported failure costs one). Null: 3.</summary>
    [Id(5)]
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// With <see cref="OnCancel"/>: how long the fallback waits, from the moment the cancel is committed, for this task to
    /// acknowledge and hand over its checkpoint before it starts with the latest checkpoint saved. 0: at once. Null: 2 s.
    /// </summary>
    [Id(6)]
    public double? CheckpointWaitSeconds { get; init; }

    [JsonIgnore]
    public bool IsJoin => Join is not null;

    /// <summary>The parsed join mode; null for a task or an unknown mode (which validation refuses).</summary>
    [JsonIgnore]
    public JoinMode? JoinMode => Join switch
    {
        "first" => Contracts.JoinMode.First,
        "all" => Contracts.JoinMode.All,
        _ => null,
    };

    [JsonIgnore]
    public double CheckpointWait => CheckpointWaitSeconds ?? DefaultCheckpointWaitSeconds;

    [JsonIgnore]
    public int EffectiveMaxAttempts => MaxAttempts ?? DefaultMaxAttempts;
}
