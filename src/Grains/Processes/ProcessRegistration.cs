namespace Ripcord.Grains.Processes;

/// <summary>Whether a registration added a new process or replaced one of the same name.</summary>
public enum ProcessRegistration
{
    Created,
    Replaced,
}
