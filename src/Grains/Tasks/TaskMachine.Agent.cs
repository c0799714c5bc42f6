using Ripcord.Contracts;

namespace Ripcord.Grains.Tasks;

/// <summary>The agent-facing half of the task machine: every call carries a lease token, checked here first.</summary>
public static partial class TaskMachine
{
    private enum TokenCheck
    {
        Live,
        Late,
        Unknown,
    }

    private static TokenCheck CheckToken(TaskState state, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TokenCheck.Unknown;
        }

        if (token == state.LeaseToken)
        {
            return state.HasLiveLease ? TokenCheck.Live : TokenCheck.Late;
        }

        return state.RevokedTokens.Contains(token) ? TokenCheck.Late : TokenCheck.Unknown;
    }

    /// <summary>
    /// Answers an agent's command on a task that never started (<c>task_not_found</c>) or with a token this task never
    /// issued (<c>lease_lost</c>) and returns true; otherwise hands back whether the token is live or late.
    /// </summary>
    private static bool RefuseStranger(TaskState state, string? token, EffectBuffer fx, out TokenCheck check)
    {
        check = TokenCheck.Unknown;
        if (!state.Exists)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.TaskNotFound, $"task '{state.TaskId}' has not started"));
            return true;
        }

        check = CheckToken(state, token);
        if (check == TokenCheck.Unknown)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.LeaseLost, "unknown lease token"));
            return true;
        }

        return false;
    }

    /// <summary>A call from a fenced lease, or from an attempt that lost its lease: an agent that should have stopped.</summary>
    private static bool IsZombie(TaskState state, string token) => state.Cancel?.Fenced == true || token != state.LeaseToken;

    private static CommandStatus LateStatus(TaskState state) =>
        state.Status == CaseTaskStatus.Cancelled ? CommandStatus.TaskCancelled : CommandStatus.LeaseLost;

    private static string LateError(TaskState state) => state.Cancel?.Fenced == true
        ? $"task '{state.TaskId}' was fenced; this lease is revoked"
        : $"task '{state.TaskId}' is {ApiNames.Of(state.Status)}; this lease is no longer valid";

    private static TaskState OnHeartbeat(TaskState state, Heartbeat m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new HeartbeatResult(CommandStatus.TaskNotFound, null, $"task '{state.TaskId}' has not started"));
            return state;
        }

        switch (CheckToken(state, m.LeaseToken))
        {
            case TokenCheck.Unknown:
                fx.Reply(new HeartbeatResult(CommandStatus.LeaseLost, null, "unknown lease token"));
                return state;
            case TokenCheck.Late:
                fx.Reply(new HeartbeatResult(CommandStatus.LeaseLost, null, LateError(state)));

                // A last heartbeat racing the agent's own complete or ack is normal; only zombies are recorded.
                if (!state.LateHeartbeatRecorded && IsZombie(state, m.LeaseToken))
                {
                    fx.History("late_heartbeat_rejected", state.AgentId ?? "agent", LateError(state), state.TaskId);
                    fx.Measure(Measure.LateWriteRejected, 1);
                    state = state with { LateHeartbeatRecorded = true };
                }

                return state;
        }

        state = state with
        {
            LastHeartbeatAt = fx.Now,
            LeaseExpiresAt = fx.Now.AddSeconds(state.Settings.LeaseSeconds),
            Progress = m.Progress ?? state.Progress,
            Usage = m.Usage ?? state.Usage,
            Estimate = m.Estimate ?? state.Estimate,
            Checkpoint = m.Checkpoint ?? state.Checkpoint,
            CheckpointSavedAt = m.Checkpoint is null ? state.CheckpointSavedAt : fx.Now,
        };
        fx.SetReminder(LeaseReminder, state.LeaseExpiresAt!.Value, new LeaseExpired(m.LeaseToken));
        if (state.Cancel is { } cancel)
        {
            if (cancel.DeliveredAt is null)
            {
                fx.History("cancel_signal_delivered", state.AgentId ?? "agent", "returned on a heartbeat", state.TaskId);
                state = state with { Cancel = cancel with { DeliveredAt = fx.Now } };
            }

            fx.Reply(new HeartbeatResult(CommandStatus.Ok, new CancelSignal(cancel.Mode, cancel.Reason, cancel.Deadline)));
        }
        else
        {
            fx.Reply(new HeartbeatResult(CommandStatus.Ok, null));
        }

        return state;
    }

    private static TaskState Complete(TaskState state, CompleteTask m, EffectBuffer fx)
    {
        if (RefuseStranger(state, m.LeaseToken, fx, out var check))
        {
            return state;
        }

        switch (check)
        {
            case TokenCheck.Late when state.Status == CaseTaskStatus.Completed && m.LeaseToken == state.LeaseToken:
                // The agent retried a completion whose answer it lost: same answer, nothing recorded twice.
                fx.Reply(TaskCommandResult.Ok);
                return state;
            case TokenCheck.Late:
                fx.History("late_output_discarded", state.AgentId ?? "agent", LateError(state), state.TaskId, new { output = m.Output });
                fx.Measure(Measure.LateWriteRejected, 1);
                fx.Reply(new TaskCommandResult(LateStatus(state), LateError(state)));
                return state;
        }

        if (state.Status == CaseTaskStatus.Cancelling)
        {
            // The cancel was committed first: it wins the race. The agent has evidently stopped, so the task ends
            // cancelled now rather than waiting for the ladder.
            fx.History("late_output_discarded", state.AgentId ?? "agent", "the cancel signal was committed before this output", state.TaskId, new { output = m.Output });
            fx.Measure(Measure.LateWriteRejected, 1);
            state = Stopped(state, checkpoint: null, "the agent finished after the cancel; its output was discarded", fx);
            fx.Reply(new TaskCommandResult(CommandStatus.TaskCancelled, $"task '{state.TaskId}' was cancelled before this output arrived"));
            return state;
        }

        state = EndLease(state with { Output = m.Output }, fx);
        fx.ClearReminder(TimeoutReminder);
        state = TaskLifecycle.Transition(state, CaseTaskStatus.Completed, state.AgentId ?? "agent", null, fx);
        fx.Send(GrainKeys.Case(state.CaseId), Ended(state, null));
        fx.Reply(TaskCommandResult.Ok);
        return state;
    }

    private static TaskState Ack(TaskState state, AckCancel m, EffectBuffer fx)
    {
        if (RefuseStranger(state, m.LeaseToken, fx, out var check))
        {
            return state;
        }

        switch (check)
        {
            case TokenCheck.Late when state.Cancel is { AckedAt: not null, Fenced: false } && m.LeaseToken == state.LeaseToken:
                // A retried acknowledgement: the task already ended on this agent's ack.
                fx.Reply(TaskCommandResult.Ok);
                return state;
            case TokenCheck.Late:
                // Kept for the audit trail even when late. The fenced agent did stop, so no alert will be raised for it;
                // an earlier attempt's agent stopping says nothing of the current one, whose ladder goes on.
                fx.History("late_cancel_ack", state.AgentId ?? "agent", LateError(state), state.TaskId, new { checkpoint = m.Checkpoint, snapshot = m.Snapshot });
                if (m.LeaseToken == state.LeaseToken && state.Cancel is { LateAckAt: null, AckedAt: null } cancel)
                {
                    state = state with { Cancel = cancel with { LateAckAt = fx.Now } };
                }

                fx.Reply(new TaskCommandResult(LateStatus(state), LateError(state)));
                return state;
        }

        if (state.Status != CaseTaskStatus.Cancelling)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.Conflict, $"no cancel was requested for task '{state.TaskId}'"));
            return state;
        }

        state = state with { Usage = m.Usage ?? state.Usage };
        fx.History("cancel_acknowledged", state.AgentId ?? "agent", null, state.TaskId, new { checkpoint = m.Checkpoint, snapshot = m.Snapshot });
        state = Stopped(state, m.Checkpoint, "the agent acknowledged the cancel", fx);
        fx.Reply(TaskCommandResult.Ok);
        return state;
    }

    private static TaskState Fail(TaskState state, FailTask m, EffectBuffer fx)
    {
        if (RefuseStranger(state, m.LeaseToken, fx, out var check))
        {
            return state;
        }

        switch (check)
        {
            case TokenCheck.Late:
                fx.History("late_failure_rejected", state.AgentId ?? "agent", LateError(state), state.TaskId, new { error = m.Error });
                fx.Measure(Measure.LateWriteRejected, 1);
                fx.Reply(new TaskCommandResult(LateStatus(state), LateError(state)));
                return state;
        }

        if (state.Status == CaseTaskStatus.Cancelling)
        {
            // Failing while cancelling still means the agent stopped: the cancel path goes on.
            state = Stopped(state with { Error = m.Error }, checkpoint: null, $"the agent failed while cancelling: {m.Error}", fx);
        }
        else
        {
            state = RetryOrFail(state with { Error = m.Error }, $"the agent reported a failure: {m.Error ?? "no error given"}", fx);
        }

        fx.Reply(TaskCommandResult.Ok);
        return state;
    }
}
