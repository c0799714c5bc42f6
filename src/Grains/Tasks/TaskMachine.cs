using System.Collections.Immutable;
using Ripcord.Contracts;

namespace Ripcord.Grains.Tasks;

/// <summary>
/// The task grain's transition function: leases, heartbeats, retries, the cancel signal and the escalation ladder.
/// Pure: time comes in as <c>now</c> and new lease tokens from <c>newToken</c>.
/// </summary>
public static partial class TaskMachine
{
    public const string LeaseReminder = "lease";
    public const string TimeoutReminder = "timeout";
    public const string EscalationReminder = "escalation";
    private const string System = "system";

    public static Decision<TaskState> Handle(TaskState state, object message, DateTimeOffset now, Func<string> newToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(newToken);
        var fx = new EffectBuffer(state.CaseId, now);
        var next = message switch
        {
            StartTask m => Start(state, m, fx),
            ClaimTask m => Claim(state, m, fx, newToken),
            Heartbeat m => OnHeartbeat(state, m, fx),
            CompleteTask m => Complete(state, m, fx),
            AckCancel m => Ack(state, m, fx),
            FailTask m => Fail(state, m, fx),
            RegisterResource m => Register(state, m, fx),
            FreeResource m => Free(state, m, fx),
            CancelTask m => Cancel(state, m, fx),
            TaskTimedOut m => OnTimeout(state, m, fx),
            LeaseExpired m => OnLeaseExpired(state, m, fx),
            EscalationDue m => OnEscalation(state, m, fx),
            KillHookCalled m => OnKillHookCalled(state, m, fx),
            _ => throw new ArgumentException($"The task grain does not handle {message.GetType().Name}.", nameof(message)),
        };
        return fx.ToDecision(next);
    }

    private static TaskState Start(TaskState state, StartTask m, EffectBuffer fx)
    {
        if (state.Exists)
        {
            // A node runs at most once per case; a repeated start is a duplicate delivery.
            return state;
        }

        state = state with
        {
            Node = m.Node,
            Settings = m.Settings,
            Input = m.Input,
            Checkpoint = m.Checkpoint,
            Attempt = 1,
            ReadyAt = fx.Now,
        };
        state = TaskLifecycle.Transition(state, CaseTaskStatus.Ready, System, m.Checkpoint is null ? null : "fallback started with the cancelled task's checkpoint", fx);
        fx.Publish(OutboxTopics.TaskReady, new TaskReadyNotice(state.CaseId, state.TaskId, m.Node.Agent ?? "", state.Attempt));
        if (m.Node.TimeoutSeconds is { } timeout)
        {
            // The budget runs from the moment the task is ready, so time waiting for an agent counts (SLA).
            fx.SetReminder(TimeoutReminder, fx.Now.AddSeconds(timeout), new TaskTimedOut(timeout));
        }

        return state;
    }

    private static TaskState Claim(TaskState state, ClaimTask m, EffectBuffer fx, Func<string> newToken)
    {
        if (!state.Exists)
        {
            fx.Reply(new ClaimResult { Status = CommandStatus.TaskNotFound, Error = $"task '{state.TaskId}' has not started" });
            return state;
        }

        if (string.IsNullOrWhiteSpace(m.AgentId))
        {
            fx.Reply(new ClaimResult { Status = CommandStatus.InvalidRequest, Error = "agentId is required" });
            return state;
        }

        if (state.Status != CaseTaskStatus.Ready)
        {
            fx.Reply(new ClaimResult { Status = CommandStatus.Conflict, Error = $"task '{state.TaskId}' is {ApiNames.Of(state.Status)}, not ready" });
            return state;
        }

        var token = newToken();
        state = state with
        {
            AgentId = m.AgentId,
            LeaseToken = token,
            ClaimedAt = fx.Now,
            LastHeartbeatAt = fx.Now,
            LeaseExpiresAt = fx.Now.AddSeconds(state.Settings.LeaseSeconds),
            KillHookUrl = m.KillHookUrl,
        };
        state = TaskLifecycle.Transition(state, CaseTaskStatus.Running, m.AgentId, null, fx);
        fx.SetReminder(LeaseReminder, state.LeaseExpiresAt!.Value, new LeaseExpired(token));
        fx.Reply(new ClaimResult
        {
            Status = CommandStatus.Ok,
            CaseId = state.CaseId,
            TaskId = state.TaskId,
            Agent = state.Node!.Agent,
            Input = state.Input,
            Checkpoint = state.Checkpoint,
            LeaseToken = token,
            HeartbeatSeconds = state.Settings.HeartbeatSeconds,
            Attempt = state.Attempt,
        });
        return state;
    }

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
                if (!state.LateHeartbeatRecorded)
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
        if (!state.Exists)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.TaskNotFound, $"task '{state.TaskId}' has not started"));
            return state;
        }

        switch (CheckToken(state, m.LeaseToken))
        {
            case TokenCheck.Unknown:
                fx.Reply(new TaskCommandResult(CommandStatus.LeaseLost, "unknown lease token"));
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
        state = TaskLifecycle.Transition(state, CaseTaskStatus.Completed, state.AgentId ?? "agent", null, fx);
        fx.Send(GrainTypes.CaseId(state.CaseId), Ended(state, null));
        fx.Reply(TaskCommandResult.Ok);
        return state;
    }

    private static TaskState Ack(TaskState state, AckCancel m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.TaskNotFound, $"task '{state.TaskId}' has not started"));
            return state;
        }

        switch (CheckToken(state, m.LeaseToken))
        {
            case TokenCheck.Unknown:
                fx.Reply(new TaskCommandResult(CommandStatus.LeaseLost, "unknown lease token"));
                return state;
            case TokenCheck.Late:
                // Kept for the audit trail even when late: the agent did stop, so no alert will be raised for it.
                fx.History("late_cancel_ack", state.AgentId ?? "agent", LateError(state), state.TaskId, new { checkpoint = m.Checkpoint, snapshot = m.Snapshot });
                if (state.Cancel is { LateAckAt: null, AckedAt: null } cancel)
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
        if (!state.Exists)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.TaskNotFound, $"task '{state.TaskId}' has not started"));
            return state;
        }

        switch (CheckToken(state, m.LeaseToken))
        {
            case TokenCheck.Unknown:
                fx.Reply(new TaskCommandResult(CommandStatus.LeaseLost, "unknown lease token"));
                return state;
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

    private static TaskState OnLeaseExpired(TaskState state, LeaseExpired m, EffectBuffer fx)
    {
        if (state.Status != CaseTaskStatus.Running || m.LeaseToken != state.LeaseToken)
        {
            // A stale reminder, or a cancelling task: the escalation ladder owns that one.
            return state;
        }

        fx.History("lease_lost", System, $"no heartbeat for {state.Settings.LeaseSeconds}s", state.TaskId, new { agentId = state.AgentId, attempt = state.Attempt });
        return RetryOrFail(state, $"lease lost: no heartbeat for {state.Settings.LeaseSeconds}s", fx);
    }

    /// <summary>Ends the current attempt: back to ready with attempt + 1 while attempts remain, otherwise failed.</summary>
    private static TaskState RetryOrFail(TaskState state, string reason, EffectBuffer fx)
    {
        state = EndLease(state, fx);
        if (state.Attempt < state.Node!.EffectiveMaxAttempts)
        {
            state = TaskLifecycle.Transition(state, CaseTaskStatus.Ready, System, $"{reason}; retrying", fx);
            state = state with { Attempt = state.Attempt + 1, KillHookUrl = null };
            fx.Publish(OutboxTopics.TaskReady, new TaskReadyNotice(state.CaseId, state.TaskId, state.Node!.Agent ?? "", state.Attempt));
            return state;
        }

        state = TaskLifecycle.Transition(state with { Error = state.Error ?? reason }, CaseTaskStatus.Failed, System, $"{reason}; attempt {state.Attempt} of {state.Node!.EffectiveMaxAttempts}", fx);
        fx.ClearReminder(TimeoutReminder);
        fx.Send(GrainTypes.CaseId(state.CaseId), Ended(state, null));
        return state;
    }

    /// <summary>Revokes the current lease token (later calls with it are late) and stops the lease reminder.</summary>
    private static TaskState EndLease(TaskState state, EffectBuffer fx)
    {
        fx.ClearReminder(LeaseReminder);
        if (state.LeaseToken is { } token && !state.RevokedTokens.Contains(token))
        {
            state = state with { RevokedTokens = state.RevokedTokens.Add(token) };
        }

        return state with { LeaseExpiresAt = null };
    }

    private static TaskState Register(TaskState state, RegisterResource m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.TaskNotFound, $"task '{state.TaskId}' has not started"));
            return state;
        }

        if (string.IsNullOrWhiteSpace(m.ResourceId))
        {
            fx.Reply(new TaskCommandResult(CommandStatus.InvalidRequest, "resourceId is required"));
            return state;
        }

        if (m.Release?.Validate() is { } fault)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.InvalidRequest, fault));
            return state;
        }

        var check = CheckToken(state, m.LeaseToken);
        if (check == TokenCheck.Unknown)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.LeaseLost, "unknown lease token"));
            return state;
        }

        var add = new AddResource
        {
            TaskId = state.TaskId,
            AgentId = state.AgentId,
            ResourceId = m.ResourceId,
            Kind = m.Kind,
            Release = m.Release,
            ReleaseNow = check == TokenCheck.Late,
            Settings = state.Settings.Release,
        };
        fx.Send(GrainTypes.RegistryId(state.CaseId), add);
        if (check == TokenCheck.Late)
        {
            // Rejected, yet the resource exists out there: the registry releases it at once rather than lose track.
            fx.History("late_resource_call_rejected", state.AgentId ?? "agent", LateError(state), state.TaskId, new { resourceId = m.ResourceId, kind = m.Kind, releasedAtOnce = true });
            fx.Measure(Measure.LateWriteRejected, 1);
            fx.Reply(new TaskCommandResult(LateStatus(state), LateError(state)));
            return state;
        }

        fx.Reply(TaskCommandResult.Ok);
        return state;
    }

    private static TaskState Free(TaskState state, FreeResource m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.TaskNotFound, $"task '{state.TaskId}' has not started"));
            return state;
        }

        if (string.IsNullOrWhiteSpace(m.ResourceId))
        {
            fx.Reply(new TaskCommandResult(CommandStatus.InvalidRequest, "resourceId is required"));
            return state;
        }

        switch (CheckToken(state, m.LeaseToken))
        {
            case TokenCheck.Unknown:
                fx.Reply(new TaskCommandResult(CommandStatus.LeaseLost, "unknown lease token"));
                return state;
            case TokenCheck.Late:
                // Not trusted: the registry's own release action runs instead.
                fx.History("late_resource_call_rejected", state.AgentId ?? "agent", LateError(state), state.TaskId, new { resourceId = m.ResourceId, freed = true });
                fx.Measure(Measure.LateWriteRejected, 1);
                fx.Reply(new TaskCommandResult(LateStatus(state), LateError(state)));
                return state;
        }

        fx.Send(GrainTypes.RegistryId(state.CaseId), new ResourceFreed { TaskId = state.TaskId, AgentId = state.AgentId, ResourceId = m.ResourceId });
        fx.Reply(TaskCommandResult.Ok);
        return state;
    }

    private static TaskState OnKillHookCalled(TaskState state, KillHookCalled m, EffectBuffer fx)
    {
        fx.History("agent_kill_hook_called", System, m.Success ? null : m.Error, state.TaskId, new { success = m.Success, statusCode = m.StatusCode });
        return state;
    }

    private static TaskEnded Ended(TaskState state, TaskCancelMeasure? measure) => new()
    {
        TaskId = state.TaskId,
        Status = state.Status,
        Attempt = state.Attempt,
        AgentId = state.AgentId,
        Output = state.Status == CaseTaskStatus.Completed ? state.Output : null,
        Checkpoint = state.Status == CaseTaskStatus.Cancelled ? state.Cancel?.Checkpoint : null,
        Error = state.Error,
        Reason = state.Cancel?.Reason,
        Cancel = measure,
    };
}
