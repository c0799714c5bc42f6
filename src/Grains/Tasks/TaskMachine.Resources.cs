using Ripcord.Contracts;

namespace Ripcord.Grains.Tasks;

/// <summary>The agent's resources: what it registers with the case's registry and what it frees itself, under its lease.</summary>
public static partial class TaskMachine
{
    private static TaskState Register(TaskState state, RegisterResource m, EffectBuffer fx)
    {
        if (RefuseResourceCall(state, m.ResourceId, fx))
        {
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
        fx.Send(GrainKeys.Registry(state.CaseId), add);
        if (!TaskLifecycle.IsTerminal(state.Status) && !state.ResourceIds.Contains(m.ResourceId))
        {
            state = state with { ResourceIds = state.ResourceIds.Add(m.ResourceId) };
        }

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
        if (RefuseResourceCall(state, m.ResourceId, fx))
        {
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

        fx.Send(GrainKeys.Registry(state.CaseId), new ResourceFreed { TaskId = state.TaskId, AgentId = state.AgentId, ResourceId = m.ResourceId });
        fx.Reply(TaskCommandResult.Ok);
        return state;
    }

    /// <summary>Answers a resource call on a task that has not started, or one that names no resource; true when refused.</summary>
    private static bool RefuseResourceCall(TaskState state, string? resourceId, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new TaskCommandResult(CommandStatus.TaskNotFound, $"task '{state.TaskId}' has not started"));
            return true;
        }

        if (string.IsNullOrWhiteSpace(resourceId))
        {
            fx.Reply(new TaskCommandResult(CommandStatus.InvalidRequest, "resourceId is required"));
            return true;
        }

        return false;
    }
}
