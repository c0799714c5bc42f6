namespace Ripcord.Contracts.Processes;

/// <summary>Registers or replaces a validated definition (ask the process grain; replies <see cref="ProcessRegistration"/>).</summary>
[GenerateSerializer]
[Alias("ripcord.processes.register-process")]
public sealed record RegisterProcess
{
    [Id(0)]
    public required ProcessDefinition Definition { get; init; }
}
