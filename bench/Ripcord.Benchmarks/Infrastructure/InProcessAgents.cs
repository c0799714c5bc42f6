using System.Collections.Concurrent;
using System.Diagnostics;
using Ripcord.Contracts.Agents;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// Agents without HTTP: claims tasks straight on their task grains and subscribes, as a silo's signal hub does, to
/// the agent's signal grain; each signal is acknowledged at once on the task grain.
/// </summary>
internal sealed class InProcessAgents(IGrainFactory grains, string agentId) : IAgentSignalObserver
{
    private readonly ConcurrentDictionary<(string CaseId, string TaskId), string> _leases = new();
    private readonly ConcurrentBag<long> _signals = [];
    private IAgentSignalObserver? _reference;

    public IReadOnlyCollection<long> Signals => _signals;

    public async Task SubscribeAsync()
    {
        _reference = grains.CreateObjectReference<IAgentSignalObserver>(this);
        await grains.GetGrain<IAgentSignalGrain>(GrainKeys.Agent(agentId)).Subscribe(_reference);
    }

    /// <summary>Claims a task once its grain has started it.</summary>
    public async Task ClaimAsync(string caseId, string taskId, TimeSpan patience)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var claim = await grains.GetGrain<ITaskGrain>(GrainKeys.Task(caseId, taskId)).Claim(new ClaimTask { AgentId = agentId });
            if (claim.Status == Contracts.CommandStatus.Ok)
            {
                _leases[(caseId, taskId)] = claim.LeaseToken!;
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > patience)
            {
                throw new TimeoutException($"Task {caseId}/{taskId} could not be claimed: {claim.Status} {claim.Error}");
            }

            await Task.Delay(1);
        }
    }

    public void Clear() => _signals.Clear();

    public Task Signal(CancelSignalNotice signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        _signals.Add(Stopwatch.GetTimestamp());
        if (_leases.TryRemove((signal.CaseId, signal.TaskId), out var lease))
        {
            _ = grains.GetGrain<ITaskGrain>(GrainKeys.Task(signal.CaseId, signal.TaskId)).AckCancel(new AckCancel { LeaseToken = lease });
        }

        return Task.CompletedTask;
    }
}
