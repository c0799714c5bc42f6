namespace Ripcord.Contracts.Agents;

/// <summary>A silo with pollers waiting: told that a partition of <paramref name="agentType"/> has a ready task.</summary>
[Alias("ripcord.ready-tasks-observer")]
public interface IReadyTasksObserver : IGrainObserver
{
    [Alias("ready")]
    [OneWay]
    Task Ready(string agentType, int partition);
}
