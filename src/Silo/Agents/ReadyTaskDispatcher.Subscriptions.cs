using Ripcord.Contracts.Agents;
using Ripcord.Grains.Agents;

namespace Ripcord.Silo.Agents;

/// <summary>
/// The dispatcher's subscriptions to the ready-task partitions: made by the first waiting poll of an agent type,
/// renewed while polls of it come, dropped after; made again when a silo leaves the cluster.
/// </summary>
public sealed partial class ReadyTaskDispatcher
{
    private async Task SubscribeAsync(AgentType type, CancellationToken cancellationToken)
    {
        if (type.IsSubscribed)
        {
            return;
        }

        await type.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!type.IsSubscribed)
            {
                await EachPartition(type.Name, p => p.Subscribe(Reference()));
                type.MarkSubscribed();
            }
        }
        finally
        {
            type.Gate.Release();
        }
    }

    private IReadyTasksGrain Partition(string agentType, int partition) => _references.ReadyTasks(agentType, partition);

    private Task EachPartition(string agentType, Func<IReadyTasksGrain, Task> call) =>
        Task.WhenAll(Enumerable.Range(0, ReadyTasksGrain.Partitions).Select(p => call(Partition(agentType, p))));

    private IReadyTasksObserver Reference()
    {
        lock (_gate)
        {
            if (_reference is null)
            {
                // The runtime holds an observer weakly; the dispatcher lives as long as the silo and keeps its reference.
                _reference = _grains.CreateObjectReference<IReadyTasksObserver>(this);
                var reference = _reference;
                var stopping = _stopping.Token;
                using (ExecutionContext.SuppressFlow())
                {
                    // Started from the first request that needs it: the renewals must not carry that request's context.
                    _renewals = Task.Run(() => RenewAsync(reference, stopping), CancellationToken.None);
                    _membershipWatch = Task.Run(() => ResubscribeWhenSilosLeaveAsync(reference, stopping), CancellationToken.None);
                }
            }

            return _reference;
        }
    }

    private async Task RenewAsync(IReadyTasksObserver reference, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var type in _types.Values)
            {
                await ChangeSubscriptionAsync(type, reference, renewal: true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Under the type's gate, for a type this silo is subscribed to: subscribes again, or, for a renewal of a type with
    /// no poll lately, drops the subscription. A failure is tried again on the next renewal, well before the
    /// subscription lapses; a waiting poll still looks again when its wait ends, and the task grain offers a ready task
    /// again meanwhile.
    /// </summary>
    private async Task ChangeSubscriptionAsync(AgentType type, IReadyTasksObserver reference, bool renewal, CancellationToken cancellationToken)
    {
        await type.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!type.IsSubscribed)
            {
                return;
            }

            if (!renewal || type.KeepsSubscription(_time.GetUtcNow(), RenewEvery))
            {
                await EachPartition(type.Name, p => p.Subscribe(reference)).ConfigureAwait(false);
            }
            else
            {
                await EachPartition(type.Name, p => p.Unsubscribe(reference)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogSubscriptionFailed(e, type.Name);
        }
        finally
        {
            type.Gate.Release();
        }
    }

    /// <summary>
    /// On every silo that leaves the cluster (declared dead, or shut down): subscribes again to each agent type's
    /// partitions this silo is subscribed to (those that lived there are new activations now, without subscribers) and
    /// wakes that type's waiting polls, since what was offered meanwhile told nobody.
    /// </summary>
    private async Task ResubscribeWhenSilosLeaveAsync(IReadyTasksObserver reference, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in _peers.SilosDied(cancellationToken).ConfigureAwait(false))
            {
                await ResubscribeAsync(reference, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>What a silo leaving the cluster sets off (tests call it after emptying the partitions).</summary>
    internal Task ResubscribeAsync(CancellationToken cancellationToken) => ResubscribeAsync(Reference(), cancellationToken);

    private async Task ResubscribeAsync(IReadyTasksObserver reference, CancellationToken cancellationToken)
    {
        foreach (var type in _types.Values)
        {
            await ChangeSubscriptionAsync(type, reference, renewal: false, cancellationToken).ConfigureAwait(false);
            type.Fire();
        }
    }
}
