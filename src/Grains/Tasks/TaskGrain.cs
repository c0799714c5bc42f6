using System.Security.Cryptography;
using Ripcord.Contracts;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Views;

namespace Ripcord.Grains.Tasks;

/// <summary>The task grain. Decides through <see cref="TaskMachine"/>.</summary>
/// <remarks>Reentrant: its turns are serialized, and committed as a group, by <see cref="DurableGrain{TState}"/>.</remarks>
[Reentrant]
public sealed class TaskGrain(
    [PersistentState(RipcordStorage.TaskState, RipcordStorage.Name)] IPersistentState<GrainRecord<TaskState>> store,
    DurableGrainServices services)
    : DurableGrain<TaskState>(store, services), ITaskGrain
{
    private static readonly Func<string> NewToken = static () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public Task<ClaimResult> Claim(ClaimTask command) => Command<ClaimResult>(command);

    public Task<HeartbeatResult> Heartbeat(Heartbeat command) => Command<HeartbeatResult>(command);

    public Task<TaskCommandResult> Complete(CompleteTask command) => Command<TaskCommandResult>(command);

    public Task<TaskCommandResult> AckCancel(AckCancel command) => Command<TaskCommandResult>(command);

    public Task<TaskCommandResult> Fail(FailTask command) => Command<TaskCommandResult>(command);

    public Task<TaskCommandResult> RegisterResource(RegisterResource command) => Command<TaskCommandResult>(command);

    public Task<TaskCommandResult> FreeResource(FreeResource command) => Command<TaskCommandResult>(command);

    /// <summary>Written with the task's next turn (usually the agent's acknowledgement), not on its own: see <see cref="DurableGrain{TState}.Defer"/>.</summary>
    public Task SignalDelivered(CancelSignalPushed notice) => Defer(notice);

    public Task<TaskView?> GetView() => Task.FromResult(State.Exists ? CaseViews.FromTask(State) : null);

    protected override TaskState CreateState(string key)
    {
        var (caseId, taskId) = GrainKeys.SplitTask(key);
        return TaskState.Empty(caseId, taskId);
    }

    protected override Decision<TaskState> Decide(TaskState state, object message, DateTimeOffset now) => TaskMachine.Handle(state, message, now, NewToken);

    protected override bool DeliversInline(string target) => target.StartsWith(GrainKeys.RegistryPrefix, StringComparison.Ordinal);

    protected override string CaseIdOf(TaskState state) => state.CaseId;
}
