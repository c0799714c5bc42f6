namespace Ripcord.Contracts.Processes;

/// <summary>Whether a registration added a new process or replaced one of the same name.</summary>
[GenerateSerializer]
[Alias("ripcord.processes.process-registration")]
public enum ProcessRegistration
{
    Created,
    Replaced,
}
