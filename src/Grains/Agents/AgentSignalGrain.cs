using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Ripcord.Contracts.Agents;

namespace Ripcord.Grains.Agents;

/// <summary>
/// One agent's signal fan-out: the silos holding that agent's stream subscribe (and renew within
/// <see cref="SubscriptionLifetime"/>), and a cancel signal goes to them only, never to every silo.
/// </summary>
public sealed class AgentSignalGrain(ILogger<AgentSignalGrain> logger) : Grain, IAgentSignalGrain
{
    /// <summary>A subscription not renewed within this long is dropped (its silo died or its stream closed).</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<IAgentSignalObserver> _observers = new(SubscriptionLifetime, logger);

    public Task Subscribe(IAgentSignalObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IAgentSignalObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task<int> Push(CancelSignalNotice signal)
    {
        _observers.Notify(o => o.Signal(signal));
        return Task.FromResult(_observers.Count);
    }
}
