using System.Collections.Immutable;
using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Tasks;

namespace Ripcord.Grains.Cases;

/// <summary>
/// The case grain's transition function: (state, message, now) -> (state, effects). Routes outputs along edges,
/// carries out Cancel Case and Cancel Activity, and decides when the case has ended. Pure: no I/O, no clock.
/// </summary>
public static partial class CaseMachine
{
    public const string System = "system";
    public const string HoldReminder = "cancel-hold";

    public static Decision<CaseState> Handle(CaseState state, object message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        var fx = new EffectBuffer(state.CaseId, now);
        var next = message switch
        {
            StartCase m => Start(state, m, fx),
            CancelCase m => Cancel(state, m, fx),
            ConfirmCancel m => Confirm(state, m, fx),
            OverrideCancel m => Override(state, m, fx),
            CancelActivity m => CancelActivities(state, m, fx),
            TaskEnded m => OnTaskEnded(state, m, fx),
            FallbackDue m => OnFallbackDue(state, m, fx),
            ResourcesSettled m => OnResourcesSettled(state, m, fx),
            CancelHoldExpired m => OnHoldExpired(state, m, fx),
            RateOutput m => Rate(state, m, fx),
            PurgeCase m => Purge(state, m, fx),
            RetentionDue m => OnRetentionDue(state, m, fx),
            _ => throw new ArgumentException($"The case grain does not handle {message.GetType().Name}.", nameof(message)),
        };
        return fx.ToDecision(ErasePayloads(next));
    }

    private static CaseState Start(CaseState state, StartCase m, EffectBuffer fx)
    {
        if (state.Exists)
        {
            fx.Reply(new StartCaseResult(CommandStatus.Ok, state.Status, []));
            return state;
        }

        if (m.Definition is null)
        {
            fx.Reply(new StartCaseResult(CommandStatus.InvalidRequest, null, [new DefinitionError("invalid_request", "definition is required")]));
            return state;
        }

        var errors = ProcessDefinitionValidator.Validate(m.Definition);
        var cancel = (m.Cancel ?? new CancelOverrides()).ApplyTo(m.Definition.Cancel ?? CancelSettings.Default);
        if (errors.IsEmpty)
        {
            errors = [.. cancel.Validate().Select(e => new DefinitionError(DefinitionErrorCodes.InvalidSettings, e))];
        }

        if (string.IsNullOrWhiteSpace(m.StartedBy))
        {
            errors = errors.Add(new DefinitionError("invalid_request", "startedBy is required"));
        }

        if (!errors.IsEmpty)
        {
            fx.Reply(new StartCaseResult(CommandStatus.InvalidRequest, null, errors));
            return state;
        }

        var nodes = ImmutableDictionary.CreateBuilder<string, NodeRun>(StringComparer.Ordinal);
        foreach (var node in m.Definition.Nodes)
        {
            nodes[node.Id] = new NodeRun { NodeId = node.Id, Status = CaseTaskStatus.Pending };
        }

        // Creation, not a status change: a case is born running (recorded as case_started below).
        state = state with
        {
            Definition = m.Definition,
            Status = CaseStatus.Running,
            Input = m.Input,
            StartedBy = m.StartedBy,
            Admins = m.Admins.IsDefault ? [] : m.Admins,
            Cancel = cancel,
            CreatedAt = fx.Now,
            Nodes = nodes.ToImmutable(),
            CountsResources = true,
        };
        fx.History("case_started", m.StartedBy, detail: new { process = m.Definition.Name, admins = state.Admins });
        foreach (var node in m.Definition.StartNodes())
        {
            state = StartNode(state, node, m.Input, checkpoint: null, fx);
        }

        state = Advance(state, fx);
        fx.Reply(new StartCaseResult(CommandStatus.Created, state.Status, []));
        return state;
    }

    /// <summary>
    /// Stops the rest of a case that is ending: pending nodes become <paramref name="pendingTo"/>, started tasks get a
    /// cancel. The registry is closed once every node is terminal.
    /// </summary>
    private static CaseState WindDown(CaseState state, CancelMode mode, string by, string? reason, CaseTaskStatus pendingTo, EffectBuffer fx)
    {
        var grace = state.CancelRequest?.ExecutedAt is not null ? state.CancelRequest.GracePeriodSeconds : state.Cancel.GracePeriodSeconds;
        foreach (var node in state.Definition!.Nodes)
        {
            var run = state.Nodes[node.Id];
            if (run.Status == CaseTaskStatus.Pending)
            {
                state = MoveNode(state, node, pendingTo, by, reason ?? "the case is ending", fx);
            }
            else if (run.Status == CaseTaskStatus.Ready && (run.CancelRequestedAt is null || (mode == CancelMode.Force && !run.ForceRequested)))
            {
                fx.Send(GrainKeys.Task(state.CaseId, node.Id), new CancelTask
                {
                    Mode = mode,
                    Reason = reason,
                    RequestedBy = by,
                    RequestedAt = fx.Now,
                    GracePeriodSeconds = grace,
                });
                state = state with
                {
                    Nodes = state.Nodes.SetItem(node.Id, run with { CancelRequestedAt = run.CancelRequestedAt ?? fx.Now, ForceRequested = mode == CancelMode.Force }),
                };
            }
        }

        return MaybeCloseRegistry(state, reason, fx);
    }

    private static CaseState MaybeCloseRegistry(CaseState state, string? reason, EffectBuffer fx)
    {
        if (state.RegistryClosed || CaseLifecycle.IsActive(state.Status) || !AllNodesTerminal(state))
        {
            return state;
        }

        // The registry settles only once it heard of every resource the tasks handed it: that mail may still be on its way.
        var expected = state.Nodes.Values.Where(n => n.Resources > 0).ToImmutableDictionary(n => n.NodeId, n => n.Resources, StringComparer.Ordinal);
        if (expected.IsEmpty && state.CountsResources)
        {
            // No task handed one over: nothing to release, and the registry need not wake. A fenced agent's late
            // registration still goes to it, is released at once, and reported (ResourcesSettled.WithoutClose).
            // The counts are those of late registrations the registry reported before this (usually none).
            var (released, orphaned) = (state.Measures.ResourcesReleased, state.Measures.ResourcesOrphaned);
            fx.History("resources_settled", System, detail: new { released, orphaned, total = released + orphaned, withoutRegistry = true });
            return state with { RegistryClosed = true, SettledWithoutRegistry = true, ResourcesSettledAt = fx.Now };
        }

        fx.Send(GrainKeys.Registry(state.CaseId), new CloseRegistry { Reason = reason ?? state.EndReason, Settings = state.Definition!.Release, ExpectedResources = expected });
        return state with { RegistryClosed = true };
    }

    /// <summary>A Cancel Case ends when every node is terminal and the registry has settled every resource.</summary>
    private static CaseState MaybeFinish(CaseState state, EffectBuffer fx)
    {
        if (!CaseLifecycle.IsCancelling(state.Status) || !state.RegistryClosed || state.ResourcesSettledAt is null || !AllNodesTerminal(state))
        {
            return state;
        }

        // Without a Cancel Case request the case ran out of routes after Cancel Activity: no termination time to measure.
        if (state.CancelRequest is { ExecutedAt: { } executedAt, OverriddenAt: null })
        {
            var seconds = (fx.Now - executedAt).TotalSeconds;
            fx.Measure(Measure.TimeToFullTermination, seconds);
            state = state with { Measures = state.Measures with { TimeToFullTerminationSeconds = seconds } };
        }

        // Like Appian's cancelProcess, the history names who cancelled the case on its final event too.
        var actor = state.CancelRequest is { ExecutedAt: not null, OverriddenAt: null } request ? request.RequestedBy : System;
        return CaseLifecycle.Transition(state, CaseStatus.Cancelled, actor, "every task stopped and every resource settled", fx);
    }

    private static bool AllNodesTerminal(CaseState state)
    {
        foreach (var run in state.Nodes.Values)
        {
            if (!TaskLifecycle.IsTerminal(run.Status))
            {
                return false;
            }
        }

        return true;
    }

    private static CaseState Rate(CaseState state, RateOutput m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new RateOutputResult(CommandStatus.CaseNotFound, false, $"case '{state.CaseId}' does not exist"));
            return state;
        }

        if (!HasRights(state, m.RatedBy, m.HasAdminRole))
        {
            fx.Reply(new RateOutputResult(CommandStatus.Forbidden, false, $"{m.RatedBy} may not rate case '{state.CaseId}'"));
            return state;
        }

        if (m.Rating is < 1 or > 5)
        {
            fx.Reply(new RateOutputResult(CommandStatus.InvalidRequest, false, $"rating must be 1 to 5, not {m.Rating}"));
            return state;
        }

        if (state.Status != CaseStatus.Completed)
        {
            fx.Reply(new RateOutputResult(CommandStatus.Conflict, false, $"case '{state.CaseId}' is {ApiNames.Of(state.Status)}; only a completed case's output can be rated"));
            return state;
        }

        var viaFallback = state.Measures.CompletedViaFallback;
        fx.History("output_rated", m.RatedBy, m.Comment, detail: new { rating = m.Rating, viaFallback });
        fx.Reply(new RateOutputResult(CommandStatus.Ok, viaFallback));
        return state with { Measures = state.Measures with { OutputRating = m.Rating } };
    }

    private static CaseState OnResourcesSettled(CaseState state, ResourcesSettled m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            return state;
        }

        if (m.WithoutClose && !state.SettledWithoutRegistry)
        {
            // A registry the case never closed settled a fenced agent's late registration. Its counts hold until a
            // close's report replaces them; only that report settles the case.
            return state with { Measures = state.Measures with { ResourcesReleased = m.Released, ResourcesOrphaned = m.Orphaned } };
        }

        state = state with
        {
            ResourcesSettledAt = fx.Now,
            Measures = state.Measures with { ResourcesReleased = m.Released, ResourcesOrphaned = m.Orphaned },
        };
        fx.History("resources_settled", System, detail: new { released = m.Released, orphaned = m.Orphaned, total = m.Total });
        return MaybeFinish(state, fx);
    }
}
