using Ripcord.Contracts;

namespace Ripcord.Grains.Tasks;

/// <summary>
/// The task lifecycle: the only place a task's status changes (in the task grain, and for nodes the case decides
/// alone: joins, and tasks cancelled or skipped before they started). Allowed moves:
/// <code>
/// pending    -> ready | cancelled | skipped | completed (a join only)
/// ready      -> running (claimed) | cancelled
/// running    -> completed | failed | cancelling | ready (retry after a lost lease or failed attempt)
/// cancelling -> cancelled
/// cancelled, completed, failed, skipped: terminal
/// </code>
/// </summary>
public static class TaskLifecycle
{
    public static bool IsTerminal(CaseTaskStatus status) =>
        status is CaseTaskStatus.Cancelled or CaseTaskStatus.Completed or CaseTaskStatus.Failed or CaseTaskStatus.Skipped;

    public static bool CanMove(CaseTaskStatus from, CaseTaskStatus to, bool isJoin = false) => from switch
    {
        CaseTaskStatus.Pending => to is CaseTaskStatus.Ready or CaseTaskStatus.Cancelled or CaseTaskStatus.Skipped
            || (isJoin && to == CaseTaskStatus.Completed),
        CaseTaskStatus.Ready => !isJoin && to is CaseTaskStatus.Running or CaseTaskStatus.Cancelled,
        CaseTaskStatus.Running => to is CaseTaskStatus.Completed or CaseTaskStatus.Failed or CaseTaskStatus.Cancelling or CaseTaskStatus.Ready,
        CaseTaskStatus.Cancelling => to is CaseTaskStatus.Cancelled,
        _ => false,
    };

    /// <summary>Throws <see cref="InvalidStatusTransitionException"/> unless the move is allowed.</summary>
    public static void EnsureAllowed(string caseId, string taskId, CaseTaskStatus from, CaseTaskStatus to, bool isJoin)
    {
        if (!CanMove(from, to, isJoin))
        {
            throw new InvalidStatusTransitionException("task", $"task '{caseId}/{taskId}'", ApiNames.Of(from), ApiNames.Of(to));
        }
    }

    /// <summary>
    /// The case's record of a started task may only take a terminal status its task grain reported (the task grain
    /// validated and recorded that move itself); throws <see cref="InvalidStatusTransitionException"/> otherwise.
    /// </summary>
    public static void EnsureReportable(string caseId, string taskId, CaseTaskStatus known, CaseTaskStatus reported)
    {
        if (known != CaseTaskStatus.Ready || !IsTerminal(reported))
        {
            throw new InvalidStatusTransitionException("task (as recorded by its case)", $"task '{caseId}/{taskId}'", ApiNames.Of(known), ApiNames.Of(reported));
        }
    }

    /// <summary>Validates a move and records it as <c>task_{status}</c>; throws <see cref="InvalidStatusTransitionException"/> for a move not listed above.</summary>
    public static void Check(string caseId, string taskId, CaseTaskStatus from, CaseTaskStatus to, bool isJoin, string actor, string? reason, EffectBuffer effects, object? detail = null)
    {
        ArgumentNullException.ThrowIfNull(effects);
        EnsureAllowed(caseId, taskId, from, to, isJoin);
        effects.History("task_" + ApiNames.Of(to), actor, reason, taskId, detail ?? new { from = ApiNames.Of(from), to = ApiNames.Of(to) });
    }

    /// <summary>Moves a task grain's state to <paramref name="to"/>, recording it.</summary>
    public static TaskState Transition(TaskState state, CaseTaskStatus to, string actor, string? reason, EffectBuffer effects)
    {
        ArgumentNullException.ThrowIfNull(state);
        Check(state.CaseId, state.TaskId, state.Status, to, isJoin: false, actor, reason, effects, new
        {
            from = ApiNames.Of(state.Status),
            to = ApiNames.Of(to),
            attempt = state.Attempt,
            agentId = state.AgentId,
        });
        if (state.Status == CaseTaskStatus.Ready)
        {
            // A task no longer waiting for an agent has nothing to announce: its reminder goes, not lapses into a turn.
            effects.ClearReminder(TaskMachine.ReadyAnnounceReminder);
        }

        return state with
        {
            Status = to,
            EndedAt = IsTerminal(to) ? effects.Now : state.EndedAt,
        };
    }
}
