using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains;
using Ripcord.Runtime.Cluster;

namespace Ripcord.Silo.Agents;

/// <summary>
/// This silo's view of tasks waiting for agents, by agent type, fed by <see cref="BusTopics.TaskReady"/> from every
/// silo. It is a hint: a claim still goes through the task grain, which has exactly one winner, so a stale entry
/// costs one refused claim and nothing else.
/// </summary>
public sealed class ReadyTaskIndex : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedList<(long Seq, TaskReadyNotice Notice)>> _byAgent = new(StringComparer.Ordinal);
    private readonly HashSet<(string CaseId, string TaskId, int Attempt)> _known = [];
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly IDisposable _subscription;
    private long _sequence;

    public ReadyTaskIndex(IClusterBus bus)
    {
        _subscription = bus.Subscribe(BusTopics.TaskReady, payload =>
        {
            var notice = JsonSerializer.Deserialize<TaskReadyNotice>(payload, RipcordJson.Options);
            if (notice is not null)
            {
                Add(notice);
            }
        });
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _known.Count;
            }
        }
    }

    public void Add(TaskReadyNotice notice)
    {
        lock (_gate)
        {
            if (!_known.Add((notice.CaseId, notice.TaskId, notice.Attempt)))
            {
                return;
            }

            // Hand it straight to a poller that waits for this agent type, if any.
            for (var node = _waiters.First; node is not null; node = node.Next)
            {
                if (node.Value.Agents.Contains(notice.Agent) && node.Value.Done.TrySetResult(notice))
                {
                    _waiters.Remove(node);
                    _known.Remove((notice.CaseId, notice.TaskId, notice.Attempt));
                    return;
                }
            }

            if (!_byAgent.TryGetValue(notice.Agent, out var queue))
            {
                _byAgent[notice.Agent] = queue = new LinkedList<(long, TaskReadyNotice)>();
            }

            queue.AddLast((++_sequence, notice));
        }
    }

    /// <summary>Takes the oldest waiting task of one of <paramref name="agents"/>, or waits for one up to <paramref name="wait"/>.</summary>
    public async Task<TaskReadyNotice?> TakeAsync(IReadOnlyCollection<string> agents, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            // The oldest waiting task across the requested types: first come, first served.
            (long Seq, TaskReadyNotice Notice)? oldestEntry = null;
            LinkedList<(long Seq, TaskReadyNotice Notice)>? from = null;
            foreach (var agent in agents)
            {
                if (_byAgent.TryGetValue(agent, out var queue) && queue.First is { } first && (oldestEntry is null || first.Value.Seq < oldestEntry.Value.Seq))
                {
                    oldestEntry = first.Value;
                    from = queue;
                }
            }

            if (oldestEntry is { Notice: var oldest })
            {
                from!.RemoveFirst();
                _known.Remove((oldest.CaseId, oldest.TaskId, oldest.Attempt));
                return oldest;
            }

            if (wait <= TimeSpan.Zero)
            {
                return null;
            }

            waiter = new Waiter(new HashSet<string>(agents, StringComparer.Ordinal));
            node = _waiters.AddLast(waiter);
        }

        try
        {
            return await waiter.Done.Task.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                }
            }

            // A notice handed over just as the wait ended must not be lost.
            if (waiter.Done.Task.IsCompletedSuccessfully && cancellationToken.IsCancellationRequested)
            {
                Add(waiter.Done.Task.Result);
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private sealed record Waiter(HashSet<string> Agents)
    {
        public TaskCompletionSource<TaskReadyNotice> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
