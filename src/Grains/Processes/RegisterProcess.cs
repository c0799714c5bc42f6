using Ripcord.Contracts;

namespace Ripcord.Grains.Processes;

/// <summary>Registers or replaces a validated definition (ask the process grain; replies <see cref="ProcessRegistration"/>).</summary>
public sealed record RegisterProcess
{
    public required ProcessDefinition Definition { get; init; }
}
