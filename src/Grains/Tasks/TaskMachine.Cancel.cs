using Ripcord.Contracts;

namespace Ripcord.Grains.Tasks;

public static partial class TaskMachine
{
    private static TaskState Cancel(TaskState state, CancelTask m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.History("cancel_ignored_not_started", m.RequestedBy, m.Reason, state.TaskId);
            return state;
        }

        if (TaskLifecycle.IsTerminal(state.Status))
        {
            // The loser of a completion/cancel race, or a repeat: recorded, nothing changes.
            var type = state.Status is CaseTaskStatus.Completed or CaseTaskStatus.Failed ? "cancel_lost_race" : "cancel_repeated";
            fx.History(type, m.RequestedBy, $"task was already {ApiNames.Of(state.Status)}", state.TaskId, new { mode = ApiNames.Of(m.Mode), reason = m.Reason });
            return state;
        }

        if (state.Status == CaseTaskStatus.Cancelling)
        {
            if (m.Mode == CancelMode.Force && state.Cancel is { Fenced: false } cancel)
            {
                fx.History("cancel_escalated", m.RequestedBy, m.Reason, state.TaskId, new { from = ApiNames.Of(cancel.Mode), to = "force" });
                state = state with { Cancel = cancel with { Mode = CancelMode.Force, Deadline = fx.Now } };
                fx.ClearReminder(EscalationReminder);
                return Fence(state, "force cancel", m.RequestedBy, killNow: true, fx);
            }

            fx.History("cancel_repeated", m.RequestedBy, m.Reason, state.TaskId, new { mode = ApiNames.Of(m.Mode) });
            return state;
        }

        return BeginCancel(state, m.Mode, m.Reason, m.RequestedBy, m.RequestedAt, m.GracePeriodSeconds, m.RoutesToFallback, fx);
    }

    private static TaskState OnTimeout(TaskState state, TaskTimedOut m, EffectBuffer fx)
    {
        if (state.Status is not (CaseTaskStatus.Ready or CaseTaskStatus.Running))
        {
            return state;
        }

        var reason = $"timeout: the task exceeded its budget of {m.TimeoutSeconds}s";
        fx.History("task_timed_out", System, reason, state.TaskId);
        return BeginCancel(state, CancelMode.Standard, reason, System, fx.Now, state.Settings.Cancel.GracePeriodSeconds, routesToFallback: state.Node!.OnCancel is not null, fx);
    }

    /// <summary>
    /// Commits the cancel signal: a ready task ends at once; a running one goes cancelling and is told. When the case
    /// routes the cancel to a fallback, the fallback waits for the acknowledgement at most the node's checkpoint wait.
    /// </summary>
    private static TaskState BeginCancel(TaskState state, CancelMode mode, string? reason, string by, DateTimeOffset requestedAt, double graceSeconds, bool routesToFallback, EffectBuffer fx)
    {
        fx.ClearReminder(TimeoutReminder);
        var cancel = new TaskCancelState
        {
            Mode = mode,
            Reason = reason,
            RequestedBy = by,
            RequestedAt = requestedAt,
            SignalledAt = fx.Now,
            Deadline = mode == CancelMode.Force ? fx.Now : fx.Now.AddSeconds(graceSeconds),
        };

        if (state.Status == CaseTaskStatus.Ready)
        {
            // No agent holds it: nothing to signal or wait for.
            state = TaskLifecycle.Transition(state with { Cancel = cancel with { AckedAt = fx.Now } }, CaseTaskStatus.Cancelled, by, reason ?? "cancelled before an agent claimed it", fx);
            ReleaseResources(state, "task cancelled", fx);
            fx.Send(GrainKeys.Case(state.CaseId), Ended(state, CancelMeasure(state)));
            return state;
        }

        state = TaskLifecycle.Transition(state with { Cancel = cancel }, CaseTaskStatus.Cancelling, by, reason, fx);
        if (mode == CancelMode.Standard)
        {
            // The grace period is the least an agent gets; the deadline it is told is when the fence actually comes.
            cancel = cancel with { Deadline = StepDue(state, FenceStep(state)) };
            state = state with { Cancel = cancel };
        }

        fx.History("cancel_signal_committed", by, reason, state.TaskId, new { mode = ApiNames.Of(mode), agentId = state.AgentId, deadline = cancel.Deadline });
        fx.Publish(OutboxTopics.TaskCancelSignal, Signal(state, 0));
        if (mode == CancelMode.Force)
        {
            return Fence(state, "force cancel", by, killNow: true, fx);
        }

        fx.SetReminder(EscalationReminder, StepDue(state, 0), new EscalationDue(0));
        return routesToFallback ? AwaitCheckpoint(state, fx) : state;
    }

    /// <summary>Arms the checkpoint wait, or with a wait of 0 hands the fallback over at once.</summary>
    private static TaskState AwaitCheckpoint(TaskState state, EffectBuffer fx)
    {
        var cancel = state.Cancel!;
        var due = cancel.SignalledAt.AddSeconds(state.Node!.CheckpointWait);
        state = state with { Cancel = cancel with { FallbackDueAt = due } };
        if (due <= fx.Now)
        {
            return HandOverToFallback(state, fx);
        }

        fx.SetReminder(CheckpointWaitReminder, due, new CheckpointWaitEnded(cancel.SignalledAt));
        return state;
    }

    private static TaskState OnCheckpointWaitEnded(TaskState state, CheckpointWaitEnded m, EffectBuffer fx) =>
        state.Status == CaseTaskStatus.Cancelling && state.Cancel is { FallbackHandedOver: false } cancel && cancel.SignalledAt == m.SignalledAt
            ? HandOverToFallback(state, fx)
            : state;

    /// <summary>The task has not stopped within its checkpoint wait: the case starts the fallback with the latest checkpoint.</summary>
    private static TaskState HandOverToFallback(TaskState state, EffectBuffer fx)
    {
        var wait = state.Node!.CheckpointWait;
        fx.History("checkpoint_wait_ended", System, $"no acknowledgement within the checkpoint wait of {wait}s; the fallback starts", state.TaskId, new { checkpointWaitSeconds = wait, hasCheckpoint = state.Checkpoint is not null, checkpointSavedAt = state.CheckpointSavedAt });
        fx.Send(GrainKeys.Case(state.CaseId), new FallbackDue { TaskId = state.TaskId, Checkpoint = state.Checkpoint, WaitedSeconds = wait });
        return state with { Cancel = state.Cancel! with { FallbackHandedOver = true } };
    }

    private static CancelSignalNotice Signal(TaskState state, int level)
    {
        var cancel = state.Cancel!;
        return new CancelSignalNotice(state.CaseId, state.TaskId, state.AgentId, cancel.Mode, cancel.Reason, cancel.Deadline, level);
    }

    /// <summary>
    /// When ladder step <paramref name="step"/> is due: signal time + multiplier x ack timeout. In a standard cancel
    /// the fence (and every later step) waits at least until the grace deadline, so agents keep their grace period.
    /// </summary>
    public static DateTimeOffset StepDue(TaskState state, int step)
    {
        ArgumentNullException.ThrowIfNull(state);
        var cancel = state.Cancel ?? throw new InvalidOperationException("The task has no cancel.");
        var settings = state.Settings.Cancel;
        var ladder = settings.Escalation;
        var due = cancel.SignalledAt.AddSeconds(ladder[step].AfterAckTimeouts * settings.AckTimeoutSeconds);
        var fence = FenceStep(state);
        if (cancel.Mode == CancelMode.Standard && step >= fence)
        {
            var fenceDue = cancel.SignalledAt.AddSeconds(ladder[fence].AfterAckTimeouts * settings.AckTimeoutSeconds);
            if (cancel.Deadline > fenceDue)
            {
                due += cancel.Deadline - fenceDue;
            }
        }

        return due;
    }

    private static int FenceStep(TaskState state)
    {
        var ladder = state.Settings.Cancel.Escalation;
        for (var i = 0; i < ladder.Length; i++)
        {
            if (ladder[i].Action == EscalationAction.Fence)
            {
                return i;
            }
        }

        throw new InvalidOperationException("The escalation ladder has no fence step.");
    }

    private static TaskState OnEscalation(TaskState state, EscalationDue m, EffectBuffer fx)
    {
        var ladder = state.Settings.Cancel.Escalation;
        if (state.Cancel is not { } cancel || m.Step != cancel.NextStep || m.Step >= ladder.Length || cancel.AckedAt is not null || cancel.LateAckAt is not null)
        {
            return state;
        }

        var step = ladder[m.Step];
        var level = m.Step + 1;
        var waited = (fx.Now - cancel.SignalledAt).TotalSeconds;
        switch (step.Action)
        {
            case EscalationAction.Reemit when state.Status == CaseTaskStatus.Cancelling:
                fx.History("cancel_signal_reemitted", System, $"no acknowledgement after {waited}s", state.TaskId, new { escalationLevel = level });
                fx.Publish(OutboxTopics.TaskCancelSignal, Signal(state, level));
                fx.Measure(Measure.Escalation, 1);
                state = state with { Cancel = cancel with { EscalationLevel = level } };
                break;
            case EscalationAction.Fence when state.Status == CaseTaskStatus.Cancelling:
                fx.Measure(Measure.Escalation, 1);
                state = Fence(state with { Cancel = cancel with { EscalationLevel = level } }, $"no acknowledgement after {waited}s", System, killNow: false, fx);
                break;
            case EscalationAction.Alert:
                fx.History("agent_unresponsive_alert", System, $"the agent never acknowledged the cancel ({waited}s)", state.TaskId, new { agentId = state.AgentId, escalationLevel = level, killHook = state.KillHookUrl is not null });
                fx.Measure(Measure.Escalation, 1);
                fx.Measure(Measure.UnresponsiveAgent, 1);
                if (state.KillHookUrl is { } url)
                {
                    fx.Publish(OutboxTopics.AgentKill, new AgentKillRequest(state.CaseId, state.TaskId, state.AgentId, url, cancel.Reason));
                }

                state = state with { Cancel = state.Cancel! with { EscalationLevel = level, Alerted = true } };
                break;
        }

        state = state with { Cancel = state.Cancel! with { NextStep = m.Step + 1 } };
        if (m.Step + 1 < ladder.Length)
        {
            fx.SetReminder(EscalationReminder, StepDue(state, m.Step + 1), new EscalationDue(m.Step + 1));
        }

        return state;
    }

    /// <summary>Revokes the lease, ends the task cancelled and releases its resources whether or not the agent answered.</summary>
    private static TaskState Fence(TaskState state, string reason, string by, bool killNow, EffectBuffer fx)
    {
        var cancel = state.Cancel!;
        ClearCheckpointWait(state, fx);
        var fenceLevel = FenceStep(state) + 1;
        state = EndLease(state with { Cancel = cancel with { Fenced = true, FencedAt = fx.Now, EscalationLevel = Math.Max(cancel.EscalationLevel, fenceLevel) } }, fx);
        fx.History("task_fenced", by, reason, state.TaskId, new { agentId = state.AgentId, revokedToken = true });
        fx.Measure(Measure.TaskFenced, 1);
        state = TaskLifecycle.Transition(state, CaseTaskStatus.Cancelled, by, $"fenced: {reason}", fx);
        if (killNow && state.KillHookUrl is { } url)
        {
            fx.Publish(OutboxTopics.AgentKill, new AgentKillRequest(state.CaseId, state.TaskId, state.AgentId, url, cancel.Reason));
        }

        ReleaseResources(state, "task fenced", fx);
        fx.Send(GrainKeys.Case(state.CaseId), Ended(state, CancelMeasure(state)));
        return state;
    }

    /// <summary>The agent stopped (ack, or an output or failure after the signal): the task ends cancelled.</summary>
    private static TaskState Stopped(TaskState state, System.Text.Json.JsonElement? checkpoint, string reason, EffectBuffer fx)
    {
        fx.ClearReminder(EscalationReminder);
        fx.ClearReminder(TimeoutReminder);
        ClearCheckpointWait(state, fx);
        state = EndLease(state with { Cancel = state.Cancel! with { AckedAt = fx.Now, Checkpoint = checkpoint } }, fx);
        state = TaskLifecycle.Transition(state, CaseTaskStatus.Cancelled, state.AgentId ?? "agent", reason, fx);
        ReleaseResources(state, "task cancelled", fx);
        fx.Send(GrainKeys.Case(state.CaseId), Ended(state, CancelMeasure(state)));
        return state;
    }

    private static void ClearCheckpointWait(TaskState state, EffectBuffer fx)
    {
        if (state.Cancel is { FallbackDueAt: not null, FallbackHandedOver: false })
        {
            fx.ClearReminder(CheckpointWaitReminder);
        }
    }

    /// <summary>
    /// Asks the registry to release what the task registered. A task that registered nothing sends nothing: a
    /// resource it registers after its end carries its own release (the lease is over, so the call is late).
    /// </summary>
    private static void ReleaseResources(TaskState state, string reason, EffectBuffer fx)
    {
        if (state.RegisteredResources)
        {
            fx.Send(GrainKeys.Registry(state.CaseId), new ReleaseTaskResources { TaskId = state.TaskId, Reason = reason, Settings = state.Settings.Release });
        }
    }

    /// <summary>Latencies from the request, and compute saved: the agent's estimate minus its usage when it stopped.</summary>
    private static TaskCancelMeasure CancelMeasure(TaskState state)
    {
        var cancel = state.Cancel!;
        var usage = state.Usage ?? Usage.Zero;
        var estimate = state.Estimate;
        return new TaskCancelMeasure
        {
            TaskId = state.TaskId,
            SignalLatencySeconds = (cancel.SignalledAt - cancel.RequestedAt).TotalSeconds,
            AckLatencySeconds = cancel.AckedAt is { } acked ? (acked - cancel.RequestedAt).TotalSeconds : null,
            Fenced = cancel.Fenced,
            TokensSaved = estimate is null ? 0 : Math.Max(0, estimate.Tokens - usage.Tokens),
            GpuSecondsSaved = estimate is null ? 0 : Math.Max(0, estimate.GpuSeconds - usage.GpuSeconds),
        };
    }
}
