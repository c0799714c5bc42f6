namespace Ripcord.Contracts.Processes;

/// <summary>The state of a process grain: the current definition of one process name.</summary>
[GenerateSerializer]
[Alias("ripcord.processes.process-record")]
public sealed record ProcessRecord
{
    public static readonly ProcessRecord Empty = new();

    [Id(0)]
    public ProcessDefinition? Definition { get; init; }

    [Id(1)]
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>How many times the definition was registered; 0 when it never was.</summary>
    [Id(2)]
    public int Revision { get; init; }
}
