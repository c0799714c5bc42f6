using Ripcord.Contracts;

namespace Ripcord.Grains.Resources;

/// <summary>
/// The resource registry's transition function: tracks what agents provisioned and releases it when its task ends
/// on a cancel path, when it is fenced, or when the case ends, retrying webhooks with backoff until they answer
/// or the attempts run out (then the resource is orphaned). Pure: I/O is an outbox item whose result comes back.
/// </summary>
public static class RegistryMachine
{
    private const string System = "system";

    public static string ReleaseReminder(string resourceId) => "release:" + resourceId;

    public static Decision<RegistryState> Handle(RegistryState state, object message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        var fx = new EffectBuffer(state.CaseId, now);
        var next = message switch
        {
            AddResource m => Add(state, m, fx),
            ResourceFreed m => Freed(state, m, fx),
            ReleaseTaskResources m => ReleaseTask(state, m, fx),
            CloseRegistry m => Close(state, m, fx),
            ReleaseAttemptCompleted m => OnAttempt(state, m.ResourceId, m.Attempt, m.Success, m.StatusCode, m.Error, fx),
            ReleaseAttemptTimedOut m => OnAttempt(state, m.ResourceId, m.Attempt, false, null, "no answer in time", fx),
            ReleaseRetryDue m => OnRetryDue(state, m, fx),
            RedactResources m => state.RedactedAt is null ? state with { RedactedAt = m.RedactedAt } : state,
            _ => throw new ArgumentException($"The registry grain does not handle {message.GetType().Name}.", nameof(message)),
        };
        return fx.ToDecision(EraseSettledDetails(ReportIfSettled(next, fx)));
    }

    private static RegistryState Add(RegistryState state, AddResource m, EffectBuffer fx)
    {
        state = state with { Settings = m.Settings };
        if (state.Resources.TryGetValue(m.ResourceId, out var existing))
        {
            if (existing.TaskId != m.TaskId)
            {
                state = Heard(state, m.TaskId);
                fx.History("resource_conflict", m.AgentId ?? "agent", $"resource '{m.ResourceId}' is already registered by task '{existing.TaskId}'", m.TaskId, new { resourceId = m.ResourceId });
            }

            return state;
        }

        var entry = new ResourceEntry
        {
            ResourceId = m.ResourceId,
            Kind = m.Kind,
            TaskId = m.TaskId,
            AgentId = m.AgentId,
            Status = ResourceStatus.Held,
            Release = m.Release,
            RegisteredAt = fx.Now,
        };
        fx.History("resource_registered", m.AgentId ?? "agent", null, m.TaskId, new { resourceId = m.ResourceId, kind = m.Kind, release = m.Release });
        state = Put(Heard(state, m.TaskId), entry);
        if (m.ReleaseNow && !state.Closed)
        {
            state = state with { ReportsWithoutClose = true };
        }

        if (m.ReleaseNow || state.Closed || state.ReleasedTasks.Contains(m.TaskId))
        {
            state = BeginRelease(state, entry, m.ReleaseNow ? "registered by a fenced agent" : "its task already ended on a cancel path", fx);
        }

        return state;
    }

    private static RegistryState Freed(RegistryState state, ResourceFreed m, EffectBuffer fx)
    {
        if (!state.Resources.TryGetValue(m.ResourceId, out var entry) || entry.TaskId != m.TaskId)
        {
            fx.History("resource_free_ignored", m.AgentId ?? "agent", $"task '{m.TaskId}' holds no resource '{m.ResourceId}'", m.TaskId);
            return state;
        }

        if (ResourceLifecycle.IsTerminal(entry.Status))
        {
            return state;
        }

        fx.ClearReminder(ReleaseReminder(entry.ResourceId));
        fx.Measure(Measure.ResourceReleased, 1);
        return Put(state, ResourceLifecycle.Transition(entry, ResourceStatus.Released, state.CaseId, m.AgentId ?? "agent", "freed by its agent", fx));
    }

    private static RegistryState ReleaseTask(RegistryState state, ReleaseTaskResources m, EffectBuffer fx)
    {
        state = state with { Settings = m.Settings };
        if (!state.ReleasedTasks.Contains(m.TaskId))
        {
            state = state with { ReleasedTasks = state.ReleasedTasks.Add(m.TaskId) };
        }

        foreach (var entry in state.Resources.Values.Where(e => e.TaskId == m.TaskId && e.Status == ResourceStatus.Held).OrderBy(e => e.ResourceId, StringComparer.Ordinal).ToList())
        {
            state = BeginRelease(state, entry, m.Reason ?? "its task ended on a cancel path", fx);
        }

        return state;
    }

    private static RegistryState Close(RegistryState state, CloseRegistry m, EffectBuffer fx)
    {
        if (state.Closed)
        {
            return state with { SettledReported = false };
        }

        state = state with { Closed = true, CloseReason = m.Reason, Settings = m.Settings, Expected = m.ExpectedResources, SettledReported = false };
        fx.History("registry_closed", System, m.Reason);
        foreach (var entry in state.Resources.Values.Where(e => e.Status == ResourceStatus.Held).OrderBy(e => e.ResourceId, StringComparer.Ordinal).ToList())
        {
            state = BeginRelease(state, entry, "the case ended", fx);
        }

        return state;
    }

    private static RegistryState BeginRelease(RegistryState state, ResourceEntry entry, string reason, EffectBuffer fx)
    {
        // The case's count of settled resources no longer holds, even for one orphaned at once: report again.
        state = state with { SettledReported = false };
        if (entry.Release is null || entry.Release.Type == ResourceReleaseAction.NoneType)
        {
            fx.Measure(Measure.ResourceOrphaned, 1);
            return Put(state, ResourceLifecycle.Transition(entry, ResourceStatus.Orphaned, state.CaseId, System, $"{reason}; it has no release action", fx) with { LastError = "no release action" });
        }

        entry = ResourceLifecycle.Transition(entry, ResourceStatus.Releasing, state.CaseId, System, reason, fx) with { Attempts = 1 };
        return Attempt(Put(state, entry), entry, fx);
    }

    private static RegistryState Attempt(RegistryState state, ResourceEntry entry, EffectBuffer fx)
    {
        var release = entry.Release!;
        fx.Publish(OutboxTopics.ResourceRelease, new ResourceReleaseRequest(state.CaseId, entry.ResourceId, entry.Kind, entry.TaskId, release.Url!, release.Method, entry.Attempts));
        fx.SetReminder(ReleaseReminder(entry.ResourceId), fx.Now.AddSeconds(state.Settings.AttemptTimeoutSeconds), new ReleaseAttemptTimedOut(entry.ResourceId, entry.Attempts));
        return state;
    }

    private static RegistryState OnAttempt(RegistryState state, string resourceId, int attempt, bool success, int? statusCode, string? error, EffectBuffer fx)
    {
        if (!state.Resources.TryGetValue(resourceId, out var entry) || entry.Status != ResourceStatus.Releasing || entry.Attempts != attempt)
        {
            // A result for an attempt that already counted (a timeout, or a duplicate delivery of the outbox item).
            return state;
        }

        if (success)
        {
            fx.ClearReminder(ReleaseReminder(resourceId));
            fx.Measure(Measure.ResourceReleased, 1);
            return Put(state, ResourceLifecycle.Transition(entry, ResourceStatus.Released, state.CaseId, System, $"release webhook answered {statusCode}", fx));
        }

        var fault = statusCode is { } code ? $"release webhook answered {code}" : error ?? "release webhook failed";
        entry = entry with { LastError = fault };
        if (attempt >= state.Settings.MaxAttempts)
        {
            fx.ClearReminder(ReleaseReminder(resourceId));
            fx.Measure(Measure.ResourceOrphaned, 1);
            fx.History("resource_release_alert", System, $"resource '{resourceId}' could not be released after {attempt} attempts: {fault}", entry.TaskId, new { resourceId });
            return Put(state, ResourceLifecycle.Transition(entry, ResourceStatus.Orphaned, state.CaseId, System, $"{attempt} release attempts failed; last: {fault}", fx));
        }

        var delay = state.Settings.BackoffAfter(attempt);
        fx.History("resource_release_retry", System, fault, entry.TaskId, new { resourceId, attempt, retryInSeconds = delay.TotalSeconds });
        fx.SetReminder(ReleaseReminder(resourceId), fx.Now + delay, new ReleaseRetryDue(resourceId, attempt + 1));
        return Put(state, entry);
    }

    private static RegistryState OnRetryDue(RegistryState state, ReleaseRetryDue m, EffectBuffer fx)
    {
        if (!state.Resources.TryGetValue(m.ResourceId, out var entry) || entry.Status != ResourceStatus.Releasing || m.Attempt != entry.Attempts + 1)
        {
            return state;
        }

        entry = entry with { Attempts = m.Attempt };
        return Attempt(Put(state, entry), entry, fx);
    }

    /// <summary>
    /// Once the case was redacted, a settled resource keeps only its id, task, agent, status, attempts and times; one
    /// still releasing keeps its release action until it settles.
    /// </summary>
    private static RegistryState EraseSettledDetails(RegistryState state)
    {
        if (state.RedactedAt is null)
        {
            return state;
        }

        var resources = state.Resources;
        foreach (var entry in state.Resources.Values)
        {
            if (ResourceLifecycle.IsTerminal(entry.Status) && (entry.Kind is not null || entry.Release is not null || entry.LastError is not null || entry.Reason is not null))
            {
                resources = resources.SetItem(entry.ResourceId, entry with { Kind = null, Release = null, LastError = null, Reason = null });
            }
        }

        return ReferenceEquals(resources, state.Resources) ? state : state with { Resources = resources };
    }

    /// <summary>
    /// Once the case closed the registry, tells it when nothing is held or releasing any more and every resource its
    /// tasks handed over before they ended has arrived (a registration may still be on its way when the case closes).
    /// </summary>
    private static RegistryState ReportIfSettled(RegistryState state, EffectBuffer fx)
    {
        if ((!state.Closed && !state.ReportsWithoutClose) || state.SettledReported)
        {
            return state;
        }

        foreach (var (taskId, count) in state.Expected)
        {
            if (state.Heard.GetValueOrDefault(taskId) < count)
            {
                return state;
            }
        }

        int released = 0, orphaned = 0;
        foreach (var entry in state.Resources.Values)
        {
            switch (entry.Status)
            {
                case ResourceStatus.Released:
                    released++;
                    break;
                case ResourceStatus.Orphaned:
                    orphaned++;
                    break;
                default:
                    return state;
            }
        }

        fx.Send(GrainKeys.Case(state.CaseId), new ResourcesSettled { Released = released, Orphaned = orphaned, Total = state.Resources.Count, WithoutClose = !state.Closed });
        return state with { SettledReported = true };
    }

    private static RegistryState Heard(RegistryState state, string taskId) =>
        state with { Heard = state.Heard.SetItem(taskId, state.Heard.GetValueOrDefault(taskId) + 1) };

    private static RegistryState Put(RegistryState state, ResourceEntry entry) =>
        state with { Resources = state.Resources.SetItem(entry.ResourceId, entry) };
}
