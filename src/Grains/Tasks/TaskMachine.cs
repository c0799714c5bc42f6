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
    public const string CheckpointWaitReminder = "checkpoint-wait";
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
            CheckpointWaitEnded m => OnCheckpointWaitEnded(state, m, fx),
            LeaseExpired m => OnLeaseExpired(state, m, fx),
            EscalationDue m => OnEscalation(state, m, fx),
            KillHookCalled m => OnKillHookCalled(state, m, fx),
            ReadyAnnounceDue => OnReadyAnnounceDue(state, fx),
            CancelSignalPushed m => OnSignalPushed(state, m, fx),
            RedactTask m => Redact(state, m),
            _ => throw new ArgumentException($"The task grain does not handle {message.GetType().Name}.", nameof(message)),
        };
        return fx.ToDecision(ErasePayloads(next));
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
        AnnounceReady(state, fx);
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
            AnnounceReady(state, fx);
            return state;
        }

        state = TaskLifecycle.Transition(state with { Error = state.Error ?? reason }, CaseTaskStatus.Failed, System, $"{reason}; attempt {state.Attempt} of {state.Node!.EffectiveMaxAttempts}", fx);
        fx.ClearReminder(TimeoutReminder);
        fx.Send(GrainKeys.Case(state.CaseId), Ended(state, null));
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

    private static TaskState OnKillHookCalled(TaskState state, KillHookCalled m, EffectBuffer fx)
    {
        fx.History("agent_kill_hook_called", System, m.Success ? null : m.Error, state.TaskId, new { success = m.Success, statusCode = m.StatusCode });
        return state;
    }

    /// <summary>How often a task waiting for an agent announces itself again.</summary>
    public static readonly TimeSpan ReadyAnnounceInterval = TimeSpan.FromSeconds(5);

    internal const string ReadyAnnounceReminder = "ready-announce";

    private static void AnnounceReady(TaskState state, EffectBuffer fx)
    {
        fx.Publish(OutboxTopics.TaskReady, new TaskReadyNotice(state.CaseId, state.TaskId, state.Node?.Agent ?? "", state.Attempt));
        fx.SetReminder(ReadyAnnounceReminder, fx.Now + ReadyAnnounceInterval, new ReadyAnnounceDue());
    }

    private static TaskState OnSignalPushed(TaskState state, CancelSignalPushed m, EffectBuffer fx)
    {
        // Recorded once, by whichever way reached the agent first (this push or a heartbeat reply).
        if (state.Cancel is not { DeliveredAt: null } cancel || state.AgentId != m.AgentId)
        {
            return state;
        }

        // The push's own time: the notice may be applied later, with the grain's next write. Never before the signal
        // was sent nor after now (another silo's clock).
        var at = fx.Now;
        if (m.PushedAt is { } pushed && pushed < fx.Now)
        {
            at = pushed < cancel.SignalledAt ? cancel.SignalledAt : pushed;
        }

        fx.History("cancel_signal_delivered", m.AgentId, "pushed on the agent's signal stream", state.TaskId, at: at);
        return state with { Cancel = cancel with { DeliveredAt = at } };
    }

    private static TaskState OnReadyAnnounceDue(TaskState state, EffectBuffer fx)
    {
        // Only a task still waiting announces itself again (leaving ready clears the reminder; this guards a stored one).
        if (state.Status == CaseTaskStatus.Ready)
        {
            AnnounceReady(state, fx);
        }

        return state;
    }

    private static TaskEnded Ended(TaskState state, TaskCancelMeasure? measure) => new()
    {
        TaskId = state.TaskId,
        Status = state.Status,
        Attempt = state.Attempt,
        AgentId = state.AgentId,
        Output = state.Status == CaseTaskStatus.Completed ? state.Output : null,
        Checkpoint = state.Status == CaseTaskStatus.Cancelled ? state.Cancel?.Checkpoint ?? state.Checkpoint : null,
        Error = state.Error,
        Reason = state.Cancel?.Reason,
        Cancel = measure,
        Resources = state.ResourceIds.Length,
    };
}
