using Ripcord.Contracts;

namespace Ripcord.Grains.Processes;

/// <summary>The state of a process grain: the current definition of one process name.</summary>
public sealed record ProcessRecord
{
    public static readonly ProcessRecord Empty = new();

    public ProcessDefinition? Definition { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>How many times the definition was registered; 0 when it never was.</summary>
    public int Revision { get; init; }
}
