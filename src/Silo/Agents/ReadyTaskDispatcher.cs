using System.Collections.Concurrent;
using Ripcord.Contracts;
using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains;
using Ripcord.Grains.Agents;
using Ripcord.Grains.Storage;

namespace Ripcord.Silo.Agents;

/// <summary>
/// Hands ready tasks to this silo's long polls. A poll takes from the ready-task partitions of its agent types and
/// claims through the task grain, which has one winner; when nothing is ready it waits until a partition tells this
/// silo's observer that a task arrived, then takes again. The partitions of an agent type stay subscribed while
/// polls of that type wait here (renewed), and are dropped at the first renewal after its last poll. A partition
/// lives in memory: when a silo leaves the cluster, the partitions it held come back elsewhere knowing no subscriber,
/// so this silo subscribes again at once and its waiting polls look again (else they would sleep through every
/// arrival until their wait ended or the next renewal).
/// </summary>
public sealed partial class ReadyTaskDispatcher : IReadyTasksObserver, IAsyncDisposable
{
    /// <summary>Well within the two minutes after which a partition drops a subscription that was not renewed.</summary>
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    private readonly IGrainFactory _grains;
    private readonly ClusterPeers _peers;
    private readonly GrainReferences _references;
    private readonly TimeProvider _time;
    private readonly ILogger<ReadyTaskDispatcher> _logger;
    private readonly CancellationToken _hostStopping;
    private readonly ConcurrentDictionary<string, AgentType> _types = new(StringComparer.Ordinal);
    /// <summary>Ends the renewals and the membership watch: when the host begins to stop (a stopping silo refuses the calls they make), or when disposed.</summary>
    private readonly CancellationTokenSource _stopping;
    private readonly Lock _gate = new();
    private IReadyTasksObserver? _reference;
    private Task? _renewals;
    private Task? _membershipWatch;

    public ReadyTaskDispatcher(IGrainFactory grains, ClusterPeers peers, GrainReferences references, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ReadyTaskDispatcher> logger)
    {
        _grains = grains;
        _peers = peers;
        _references = references;
        _time = time;
        _logger = logger;
        _hostStopping = lifetime.ApplicationStopping;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(_hostStopping);
    }

    /// <summary>Polls waiting on this silo now (for the cluster view and tests).</summary>
    public int WaitingPolls => _types.Values.Sum(t => t.Waiting);

    /// <summary>
    /// Claims a ready task of one of <paramref name="agents"/> for <paramref name="agentId"/>, waiting up to
    /// <paramref name="wait"/> for one to arrive; null when none came, the caller left or the silo is stopping (so a
    /// long poll does not hold up a graceful shutdown).
    /// </summary>
    public async Task<ClaimResult?> ClaimAsync(string agentId, IReadOnlyCollection<string> agents, string? killHookUrl, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var deadline = _time.GetUtcNow() + wait;
        var claim = new ClaimTask { AgentId = agentId, KillHookUrl = killHookUrl };
        var types = agents.Distinct(StringComparer.Ordinal).Select(a => _types.GetOrAdd(a, static name => new AgentType(name))).ToArray();
        foreach (var type in types)
        {
            type.Enter(_time.GetUtcNow());
        }

        try
        {
            if (wait > TimeSpan.Zero)
            {
                // Subscribed before the first look, so a task offered after it wakes this poll.
                foreach (var type in types)
                {
                    await SubscribeAsync(type, cancellationToken);
                }
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                // Armed before looking: a task arriving while this poll looks still wakes it.
                var arrivals = types.Select(t => t.Arrived).ToArray();
                if (await TakeAsync(types, claim) is { } granted)
                {
                    return granted;
                }

                var left = deadline - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _hostStopping);
                try
                {
                    await Task.WhenAny(arrivals).WaitAsync(left, _time, waiting.Token);
                }
                catch (TimeoutException)
                {
                    return null;
                }
                catch (OperationCanceledException) when (_hostStopping.IsCancellationRequested)
                {
                    return null;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent went away.
        }
        finally
        {
            foreach (var type in types)
            {
                type.Leave(_time.GetUtcNow());
            }
        }

        return null;
    }

    /// <summary>A partition of <paramref name="agentType"/> got a ready task: the polls of that type waiting here look again.</summary>
    public Task Ready(string agentType, int partition)
    {
        if (_types.TryGetValue(agentType, out var type))
        {
            type.Fire();
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_renewals is not null)
        {
            await _renewals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_membershipWatch is not null)
        {
            await _membershipWatch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    /// <summary>One round: each agent type's partitions once, from a random one, each until it is empty or a claim wins.</summary>
    private async Task<ClaimResult?> TakeAsync(AgentType[] types, ClaimTask claim)
    {
        foreach (var type in types)
        {
            var first = Random.Shared.Next(ReadyTasksGrain.Partitions);
            for (var i = 0; i < ReadyTasksGrain.Partitions; i++)
            {
                var partition = Partition(type.Name, (first + i) % ReadyTasksGrain.Partitions);
                while (await partition.Take() is { } notice)
                {
                    var result = await _references.Task(notice.CaseId, notice.TaskId).Claim(claim);
                    if (result.Status == CommandStatus.Ok)
                    {
                        return result;
                    }

                    // Refused: another poll won this task, or it ended. Take the next.
                }
            }
        }

        return null;
    }
}
