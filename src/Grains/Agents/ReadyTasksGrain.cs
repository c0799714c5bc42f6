using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Ripcord.Contracts.Agents;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Agents;

/// <summary>
/// One partition of the tasks ready for an agent type. Offers are de-duplicated by task and attempt; the oldest is
/// taken first. Silos with waiting pollers subscribe and are told when something arrives, then take it themselves,
/// so each ready task goes to one poller.
/// </summary>
public sealed class ReadyTasksGrain(ClusterPeers peers, ILogger<ReadyTasksGrain> logger) : Grain, IReadyTasksGrain
{
    /// <summary>Partitions per agent type.</summary>
    public const int Partitions = 4;

    private readonly LinkedList<TaskReadyNotice> _queue = new();
    private readonly Dictionary<(string CaseId, string TaskId), LinkedListNode<TaskReadyNotice>> _byTask = [];
    private readonly ObserverManager<IReadyTasksObserver> _observers = new(TimeSpan.FromMinutes(2), logger);
    private string _agentType = "";
    private int _partition;

    /// <summary>The partition a task belongs to: stable across silos and restarts.</summary>
    public static int PartitionOf(string caseId, string taskId)
    {
        // FNV-1a over both ids: string.GetHashCode is randomized per process.
        var hash = 2166136261u;
        foreach (var c in caseId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash = (hash ^ '/') * 16777619u;
        foreach (var c in taskId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Partitions);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_agentType, _partition) = GrainKeys.SplitReady(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Orleans ends live activations too (a silo stopping; on a survivor, one whose directory registration a dead
        // silo held): the queue and the subscribers go on in the next activation instead of being lost with this one.
        if ((_queue.Count > 0 || _observers.Count > 0) && peers.CanHandOverMemory(reason))
        {
            this.AsReference<IReadyTasksGrain>().Restore([.. _queue], [.. _observers.Observers.Values]).Ignore();
        }

        return Task.CompletedTask;
    }

    public Task Restore(TaskReadyNotice[] queue, IReadyTasksObserver[] observers)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(observers);
        foreach (var observer in observers)
        {
            _observers.Subscribe(observer, observer);
        }

        // Older than anything offered here meanwhile: in front, in their order; an entry of a later attempt stays.
        for (var i = queue.Length - 1; i >= 0; i--)
        {
            var notice = queue[i];
            var key = (notice.CaseId, notice.TaskId);
            if (_byTask.TryGetValue(key, out var existing))
            {
                if (existing.Value.Attempt >= notice.Attempt)
                {
                    continue;
                }

                _queue.Remove(existing);
            }

            _byTask[key] = _queue.AddFirst(notice);
        }

        if (_queue.Count > 0)
        {
            _observers.Notify(o => o.Ready(_agentType, _partition));
        }

        return Task.CompletedTask;
    }

    public Task Offer(TaskReadyNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var key = (notice.CaseId, notice.TaskId);
        if (_byTask.TryGetValue(key, out var existing))
        {
            if (existing.Value.Attempt >= notice.Attempt)
            {
                return Task.CompletedTask;
            }

            _queue.Remove(existing);
        }

        _byTask[key] = _queue.AddLast(notice);
        _observers.Notify(o => o.Ready(_agentType, _partition));
        return Task.CompletedTask;
    }

    public Task<TaskReadyNotice?> Take()
    {
        if (_queue.First is not { } first)
        {
            return Task.FromResult<TaskReadyNotice?>(null);
        }

        _queue.RemoveFirst();
        _byTask.Remove((first.Value.CaseId, first.Value.TaskId));
        return Task.FromResult<TaskReadyNotice?>(first.Value);
    }

    public Task Subscribe(IReadyTasksObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IReadyTasksObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }
}
