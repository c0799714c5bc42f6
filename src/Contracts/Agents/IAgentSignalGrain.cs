namespace Ripcord.Contracts.Agents;

/// <summary>
/// One agent's signal fan-out (key: <c>GrainKeys.Agent(agentId)</c>): the silos holding that agent's signal stream
/// subscribe, and a task grain's cancel signal is pushed to them only. It keeps each signal in memory until the
/// signal's acknowledgement deadline, so a stream that connects late (the agent's silo died, it reconnected to
/// another) is still pushed the cancels waiting for it. Holds no durable state: an activation that Orleans
/// ends hands its signals and subscribers to the next one, and a signal lost with this grain's silo is still
/// returned by the task's next heartbeat.
/// </summary>
[Alias("ripcord.agent-signal-grain")]
public interface IAgentSignalGrain : IGrainWithStringKey
{
    /// <summary>A new stream's subscription: subscribes and returns the signals still before their acknowledgement deadline.</summary>
    [Alias("connect")]
    Task<CancelSignalNotice[]> Connect(IAgentSignalObserver observer);

    /// <summary>Renews a subscription.</summary>
    [Alias("subscribe")]
    Task Subscribe(IAgentSignalObserver observer);

    [Alias("unsubscribe")]
    Task Unsubscribe(IAgentSignalObserver observer);

    /// <summary>Pushes <paramref name="signal"/> to every subscribed silo and keeps it for streams that connect before its deadline; returns how many silos were told.</summary>
    [Alias("push")]
    Task<int> Push(CancelSignalNotice signal);

    /// <summary>
    /// What an activation that Orleans ends hands to the next one: its signals still before their deadline and its
    /// subscribers. A signal the next activation already holds for the same task is newer and stays.
    /// </summary>
    [OneWay]
    [Alias("restore")]
    Task Restore(CancelSignalNotice[] pending, IAgentSignalObserver[] observers);
}
