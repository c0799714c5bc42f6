namespace Ripcord.Contracts.Agents;

/// <summary>
/// One partition of the tasks ready for an agent type (key: <c>GrainKeys.Ready(agentType, partition)</c>). A task
/// goes to the partition its ids hash to, so no single grain carries an agent type's load. In memory only: an
/// activation that Orleans ends hands its queue and subscribers to the next one, and a task grain announces itself
/// again while it stays ready, so an entry lost with its silo delays the task instead of stranding it.
/// </summary>
[Alias("ripcord.ready-tasks-grain")]
public interface IReadyTasksGrain : IGrainWithStringKey
{
    [Alias("offer")]
    Task Offer(TaskReadyNotice notice);

    /// <summary>Takes the oldest ready task, or null.</summary>
    [Alias("take")]
    Task<TaskReadyNotice?> Take();

    /// <summary>Subscribes a silo with pollers waiting for this agent type; it is told when a task arrives.</summary>
    [Alias("subscribe")]
    Task Subscribe(IReadyTasksObserver observer);

    [Alias("unsubscribe")]
    Task Unsubscribe(IReadyTasksObserver observer);

    /// <summary>
    /// What an activation that Orleans ends hands to the next one: its queue, oldest first, and its subscribers. The
    /// queue goes before anything offered to the next activation meanwhile; the subscribers are told of it.
    /// </summary>
    [OneWay]
    [Alias("restore")]
    Task Restore(TaskReadyNotice[] queue, IReadyTasksObserver[] observers);
}
