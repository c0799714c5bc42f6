using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Ripcord.Contracts.Agents;
using Ripcord.Grains.Durability;

namespace Ripcord.Grains.Agents;

/// <summary>
/// One agent's signal fan-out: the silos holding that agent's stream subscribe (and renew within
/// <see cref="SubscriptionLifetime"/>), and a cancel signal goes to them only, never to every silo. Each signal is
/// kept, one per task (the latest), until its acknowledgement deadline, and given to every stream that connects
/// before then.
/// </summary>
public sealed class AgentSignalGrain(RipcordClock clock, ClusterPeers peers, ILogger<AgentSignalGrain> logger) : Grain, IAgentSignalGrain
{
    /// <summary>A subscription not renewed within this long is dropped (its silo died or its stream closed).</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<IAgentSignalObserver> _observers = new(SubscriptionLifetime, logger);
    private readonly Dictionary<(string CaseId, string TaskId), CancelSignalNotice> _pending = [];

    /// <summary>The pending signals by deadline, earliest first, so dropping the expired ones never walks the live ones.</summary>
    private readonly PriorityQueue<(string CaseId, string TaskId), DateTimeOffset> _byDeadline = new();

    public Task<CancelSignalNotice[]> Connect(IAgentSignalObserver observer)
    {
        _observers.Subscribe(observer, observer);
        DropExpired();
        return Task.FromResult(_pending.Count == 0 ? [] : _pending.Values.ToArray());
    }

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
        ArgumentNullException.ThrowIfNull(signal);
        DropExpired();
        if (signal.Deadline > clock.Now)
        {
            _pending[(signal.CaseId, signal.TaskId)] = signal;
            _byDeadline.Enqueue((signal.CaseId, signal.TaskId), signal.Deadline);
        }

        _observers.Notify(o => o.Signal(signal));
        return Task.FromResult(_observers.Count);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // As a ready partition does (ReadyTasksGrain.OnDeactivateAsync): what is still pending goes to the next activation.
        DropExpired();
        if ((_pending.Count > 0 || _observers.Count > 0) && peers.CanHandOverMemory(reason))
        {
            this.AsReference<IAgentSignalGrain>().Restore([.. _pending.Values], [.. _observers.Observers.Values]).Ignore();
        }

        return Task.CompletedTask;
    }

    public Task Restore(CancelSignalNotice[] pending, IAgentSignalObserver[] observers)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(observers);
        foreach (var observer in observers)
        {
            _observers.Subscribe(observer, observer);
        }

        var now = clock.Now;
        foreach (var signal in pending)
        {
            if (signal.Deadline > now && _pending.TryAdd((signal.CaseId, signal.TaskId), signal))
            {
                _byDeadline.Enqueue((signal.CaseId, signal.TaskId), signal.Deadline);
            }
        }

        return Task.CompletedTask;
    }

    private void DropExpired()
    {
        var now = clock.Now;
        while (_byDeadline.TryPeek(out var key, out var deadline) && deadline <= now)
        {
            _byDeadline.Dequeue();

            // A later signal for the same task replaced this one (with its own place in the queue): keep that.
            if (_pending.TryGetValue(key, out var signal) && signal.Deadline <= now)
            {
                _pending.Remove(key);
            }
        }
    }
}
