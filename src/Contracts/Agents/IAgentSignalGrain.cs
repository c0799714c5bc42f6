namespace Ripcord.Contracts.Agents;

/// <summary>
/// One agent's signal fan-out (key: <c>GrainKeys.Agent(agentId)</c>): the silos holding that agent's signal stream
/// subscribe, and a task grain's cancel signal is pushed to them only. Holds no durable state: a signal missed here
/// is still returned by the task's next heartbeat.
/// </summary>
[Alias("ripcord.agent-signal-grain")]
public interface IAgentSignalGrain : IGrainWithStringKey
{
    [Alias("subscribe")]
    Task Subscribe(IAgentSignalObserver observer);

    [Alias("unsubscribe")]
    Task Unsubscribe(IAgentSignalObserver observer);

    /// <summary>Pushes <paramref name="signal"/> to every subscribed silo; returns how many were told.</summary>
    [Alias("push")]
    Task<int> Push(CancelSignalNotice signal);
}
