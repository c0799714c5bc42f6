using System.Collections.Immutable;
using Ripcord.Contracts;
using Ripcord.Grains.Tasks;

namespace Ripcord.Grains.Cases;

/// <summary>Cancel Activity: one task or several cancelled with one signal, their measures, and their fallbacks.</summary>
public static partial class CaseMachine
{
    /// <summary>A cancelled task did not stop within its checkpoint wait: its fallback starts now, without waiting for the ladder.</summary>
    private static CaseState OnFallbackDue(CaseState state, FallbackDue m, EffectBuffer fx)
    {
        if (!CaseLifecycle.IsActive(state.Status) || state.Definition?.FindNode(m.TaskId)?.OnCancel is not { } fallback
            || state.Nodes[fallback].Status != CaseTaskStatus.Pending)
        {
            // The case is ending (no node starts any more), or the task's end already started the fallback.
            return state;
        }

        fx.History("fallback_started", System, $"'{m.TaskId}' did not acknowledge its cancel within {m.WaitedSeconds}s", fallback, new { source = m.TaskId, hasCheckpoint = m.Checkpoint is not null, checkpointWaitSeconds = m.WaitedSeconds });
        state = StartNode(state, state.Definition.FindNode(fallback)!, state.Nodes[m.TaskId].Input ?? state.Input, m.Checkpoint, fx);
        return Advance(state, fx);
    }

    private static CaseState RecordCancelMeasure(CaseState state, TaskCancelMeasure measure, EffectBuffer fx)
    {
        fx.Measure(Measure.SignalLatency, measure.SignalLatencySeconds);
        if (measure.AckLatencySeconds is { } ack)
        {
            fx.Measure(Measure.AckLatency, ack);
        }

        if (measure.TokensSaved > 0)
        {
            fx.Measure(Measure.TokensSaved, measure.TokensSaved);
        }

        if (measure.GpuSecondsSaved > 0)
        {
            fx.Measure(Measure.GpuSecondsSaved, measure.GpuSecondsSaved);
        }

        var measures = state.Measures;
        return state with
        {
            Measures = measures with
            {
                Tasks = measures.Tasks.Add(measure),
                TokensSaved = measures.TokensSaved + measure.TokensSaved,
                GpuSecondsSaved = measures.GpuSecondsSaved + measure.GpuSecondsSaved,
            },
        };
    }

    private static CaseState CancelActivities(CaseState state, CancelActivity m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new CancelActivityResult(CommandStatus.CaseNotFound, false, [], $"case '{state.CaseId}' does not exist"));
            return state;
        }

        var ids = m.TaskIds.IsDefault ? [] : m.TaskIds.Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (ids.IsEmpty)
        {
            fx.Reply(new CancelActivityResult(CommandStatus.InvalidRequest, false, [], "taskIds must name at least one task"));
            return state;
        }

        var unknown = ids.FirstOrDefault(id => id is null || !state.Nodes.ContainsKey(id));
        if (unknown is not null || ids.Contains(null!))
        {
            fx.Reply(new CancelActivityResult(CommandStatus.TaskNotFound, false, [], $"case '{state.CaseId}' has no task '{unknown}'"));
            return state;
        }

        if (Refuse(state, m.RequestedBy, m.HasAdminRole, "cancel_activity", fx, out var refused))
        {
            fx.Reply(new CancelActivityResult(CommandStatus.Forbidden, false, [], $"{m.RequestedBy} may not cancel tasks of case '{state.CaseId}'"));
            return refused;
        }

        var outcomes = ImmutableArray.CreateBuilder<TaskCancelOutcome>(ids.Length);
        var anyOpen = false;
        fx.History("cancel_activity_requested", m.RequestedBy, m.Reason, detail: new { taskIds = ids });
        foreach (var id in ids)
        {
            var run = state.Nodes[id];
            var node = state.Definition!.FindNode(id)!;
            if (TaskLifecycle.IsTerminal(run.Status))
            {
                fx.History("cancel_ignored_already_closed", m.RequestedBy, m.Reason, id, new { status = ApiNames.Of(run.Status) });
                outcomes.Add(new TaskCancelOutcome(id, true, run.Status));
                continue;
            }

            anyOpen = true;
            if (!CaseLifecycle.IsActive(state.Status))
            {
                // The case itself is being cancelled (or wound down): that cancel covers this task.
                fx.History("cancel_repeated", m.RequestedBy, m.Reason, id, new { status = ApiNames.Of(state.Status) });
                outcomes.Add(new TaskCancelOutcome(id, false, run.Status));
                continue;
            }

            fx.Measure(Measure.CancelRequested, 1);
            if (run.Status == CaseTaskStatus.Pending)
            {
                // Not started: cancelled at once, no agent involved; its fallback takes the case input.
                state = MoveNode(state, node, CaseTaskStatus.Cancelled, m.RequestedBy, m.Reason ?? "cancelled before it started", fx);
                state = RecordCancelMeasure(state, new TaskCancelMeasure { TaskId = id, SignalLatencySeconds = 0, AckLatencySeconds = 0 }, fx);
                outcomes.Add(new TaskCancelOutcome(id, false, CaseTaskStatus.Cancelled));
                if (node.OnCancel is { } fallback && state.Nodes[fallback].Status == CaseTaskStatus.Pending)
                {
                    fx.History("fallback_started", System, $"'{id}' was cancelled", fallback, new { source = id, hasCheckpoint = false });
                    state = StartNode(state, state.Definition!.FindNode(fallback)!, state.Input, null, fx);
                }

                continue;
            }

            if (run.CancelRequestedAt is null)
            {
                fx.Send(GrainKeys.Task(state.CaseId, id), new CancelTask
                {
                    Mode = CancelMode.Standard,
                    Reason = m.Reason,
                    RequestedBy = m.RequestedBy,
                    RequestedAt = fx.Now,
                    GracePeriodSeconds = state.Cancel.GracePeriodSeconds,
                    RoutesToFallback = node.OnCancel is not null,
                });
                state = state with { Nodes = state.Nodes.SetItem(id, run with { CancelRequestedAt = fx.Now }) };
            }

            outcomes.Add(new TaskCancelOutcome(id, false, CaseTaskStatus.Cancelling));
        }

        state = Advance(state, fx);
        fx.Reply(new CancelActivityResult(anyOpen ? CommandStatus.Accepted : CommandStatus.Ok, !anyOpen, outcomes.ToImmutable()));
        return state;
    }
}
