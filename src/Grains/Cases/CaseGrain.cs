using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Views;

namespace Ripcord.Grains.Cases;

/// <summary>The case grain. Decides through <see cref="CaseMachine"/>; writes the case index row on every change of its summary.</summary>
/// <remarks>Reentrant: its turns are serialized, and committed as a group, by <see cref="DurableGrain{TState}"/>.</remarks>
[Reentrant]
public sealed class CaseGrain(
    [PersistentState(RipcordStorage.CaseState, RipcordStorage.Name)] IPersistentState<GrainRecord<CaseState>> store,
    DurableGrainServices services)
    : DurableGrain<CaseState>(store, services), ICaseGrain
{
    public Task<StartCaseResult> Start(StartCase command) => Command<StartCaseResult>(command);

    public Task<CancelCaseResult> Cancel(CancelCase command) => Command<CancelCaseResult>(command);

    public Task<CancelCaseResult> ConfirmCancel(ConfirmCancel command) => Command<CancelCaseResult>(command);

    public Task<CancelCaseResult> OverrideCancel(OverrideCancel command) => Command<CancelCaseResult>(command);

    public Task<CancelActivityResult> CancelActivity(CancelActivity command) => Command<CancelActivityResult>(command);

    public Task<RateOutputResult> Rate(RateOutput command) => Command<RateOutputResult>(command);

    public Task<PurgeCaseResult> Purge(PurgeCase command) => Command<PurgeCaseResult>(command);

    public async Task<CaseView?> GetView(int maxHistory)
    {
        var state = State;
        if (!state.Exists)
        {
            return null;
        }

        var started = new List<Task<TaskView?>>();
        foreach (var run in state.Nodes.Values)
        {
            if (run.StartedAt is not null)
            {
                started.Add(Services.References.Task(state.CaseId, run.NodeId).GetView());
            }
        }

        var resources = Services.References.Registry(state.CaseId).GetResources();
        var history = Services.History.ReadAsync(state.CaseId, 0, maxHistory, CancellationToken.None).AsTask();
        var tasks = await Task.WhenAll(started);
        return CaseViews.Build(state, tasks.OfType<TaskView>(), await resources, await history);
    }

    protected override CaseState CreateState(string key) => CaseState.Empty(GrainKeys.CaseIdOf(key));

    protected override Decision<CaseState> Decide(CaseState state, object message, DateTimeOffset now) => CaseMachine.Handle(state, message, now);

    protected override bool DeliversInline(string target) => target.StartsWith(GrainKeys.TaskPrefix, StringComparison.Ordinal) || target.StartsWith(GrainKeys.RegistryPrefix, StringComparison.Ordinal);

    protected override string CaseIdOf(CaseState state) => state.CaseId;

    protected override CaseIndexEntry? IndexEntry(CaseState before, CaseState after, long version)
    {
        if (!after.Exists || (before.Exists && before.Status == after.Status && before.EndedAt == after.EndedAt
            && ReferenceEquals(before.Measures, after.Measures) && (before.CancelRequest?.HoldUntil is null) == (after.CancelRequest?.HoldUntil is null)))
        {
            return null;
        }

        return CaseViews.IndexEntry(after, version);
    }
}
