using Ripcord.Contracts;

namespace Ripcord.Grains.Cases;

/// <summary>Cancel Case: permissions, holds, confirmation and override, standard and force, escalation.</summary>
public static partial class CaseMachine
{
    /// <summary>Admin rights on a case: its starter, a principal in its admins list, or the global admin role.</summary>
    public static bool HasRights(CaseState state, string principal, bool hasAdminRole) =>
        hasAdminRole || (!string.IsNullOrEmpty(principal) && (principal == state.StartedBy || state.Admins.Contains(principal)));

    private static bool Refuse(CaseState state, string principal, bool hasAdminRole, string action, EffectBuffer fx, out CaseState refused)
    {
        refused = state;
        if (HasRights(state, principal, hasAdminRole))
        {
            return false;
        }

        // An alert for the case's administrators (history, case view, live events, metric); the case itself goes on.
        principal = string.IsNullOrWhiteSpace(principal) ? "anonymous" : principal;
        fx.History("cancel_refused", principal, $"{principal} has no admin rights on the case", detail: new { action });
        fx.Measure(Measure.CancelRefused, 1);
        refused = state with
        {
            Measures = state.Measures with
            {
                RefusedCancels = state.Measures.RefusedCancels + 1,
                LastRefusedCancel = new CancelRefusal { At = fx.Now, Principal = principal, Action = action },
            },
        };
        return true;
    }

    private static CaseState Cancel(CaseState state, CancelCase m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new CancelCaseResult(CommandStatus.CaseNotFound, false, null, $"case '{state.CaseId}' does not exist"));
            return state;
        }

        if (Refuse(state, m.RequestedBy, m.HasAdminRole, "cancel_case", fx, out var refused))
        {
            fx.Reply(new CancelCaseResult(CommandStatus.Forbidden, false, state.Status, $"{m.RequestedBy} may not cancel case '{state.CaseId}'"));
            return refused;
        }

        var grace = m.GracePeriodSeconds ?? state.Cancel.GracePeriodSeconds;
        var hold = m.HoldSeconds ?? state.Cancel.HoldSeconds;
        if (!(grace >= 0) || !(hold >= 0) || double.IsInfinity(grace) || double.IsInfinity(hold))
        {
            fx.Reply(new CancelCaseResult(CommandStatus.InvalidRequest, false, state.Status, "gracePeriodSeconds and holdSeconds must be zero or positive numbers"));
            return state;
        }

        if (CaseLifecycle.IsTerminal(state.Status))
        {
            // Idempotent, like Appian's cancelProcess: noted, nothing else changes (a completed case stays completed).
            fx.History("cancel_ignored_already_closed", m.RequestedBy, m.Reason, detail: new { mode = ApiNames.Of(m.Mode), status = ApiNames.Of(state.Status) });
            fx.Reply(new CancelCaseResult(CommandStatus.Ok, true, state.Status));
            return state;
        }

        if (state.Status is CaseStatus.Running)
        {
            state = state with { Measures = state.Measures with { CaseCancels = state.Measures.CaseCancels + 1 } };
        }

        var request = new CaseCancelRequest
        {
            Mode = m.Mode,
            RequestedBy = m.RequestedBy,
            RequestedAt = fx.Now,
            Reason = m.Reason,
            GracePeriodSeconds = grace,
        };

        switch (state.Status)
        {
            case CaseStatus.Running when hold > 0:
                // A confirmation hold applies to both modes; the mode says how tasks stop once the cancel executes.
                fx.History("cancel_requested", m.RequestedBy, m.Reason, detail: new { mode = ApiNames.Of(m.Mode), holdSeconds = hold });
                request = request with { HoldUntil = fx.Now.AddSeconds(hold) };
                state = CaseLifecycle.Transition(state with { CancelRequest = request }, CaseStatus.CancelPending, m.RequestedBy, m.Reason, fx);
                fx.SetReminder(HoldReminder, request.HoldUntil.Value, new CancelHoldExpired(request.RequestedAt));
                break;
            case CaseStatus.Running:
            case CaseStatus.CancelPending when m.Mode == CancelMode.Force && hold == 0:
                // A force with no hold during a hold is the operator saying "now".
                fx.History("cancel_requested", m.RequestedBy, m.Reason, detail: new { mode = ApiNames.Of(m.Mode), holdSeconds = 0 });
                state = ExecuteCancel(state with { CancelRequest = request }, fx);
                break;
            case CaseStatus.CancelPending when m.Mode == CancelMode.Force && state.CancelRequest is { Mode: CancelMode.Standard } pending:
                // Still held, but the cancel will run as a force when it executes.
                fx.History("cancel_escalated", m.RequestedBy, m.Reason, detail: new { from = "standard", to = "force", pending = true });
                state = state with { CancelRequest = pending with { Mode = CancelMode.Force } };
                break;
            case CaseStatus.Cancelling when m.Mode == CancelMode.Force:
                fx.History("cancel_escalated", m.RequestedBy, m.Reason, detail: new { from = "standard", to = "force" });
                state = Escalate(state, request, fx);
                break;
            default:
                // Already held or being cancelled at least as hard: noted only.
                fx.History("cancel_repeated", m.RequestedBy, m.Reason, detail: new { mode = ApiNames.Of(m.Mode), status = ApiNames.Of(state.Status) });
                break;
        }

        fx.Reply(new CancelCaseResult(CommandStatus.Accepted, false, state.Status));
        return state;
    }

    private static CaseState Confirm(CaseState state, ConfirmCancel m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new CancelCaseResult(CommandStatus.CaseNotFound, false, null, $"case '{state.CaseId}' does not exist"));
            return state;
        }

        if (Refuse(state, m.RequestedBy, m.HasAdminRole, "confirm_cancel", fx, out var refused))
        {
            fx.Reply(new CancelCaseResult(CommandStatus.Forbidden, false, state.Status, $"{m.RequestedBy} may not confirm a cancel of case '{state.CaseId}'"));
            return refused;
        }

        if (state.Status != CaseStatus.CancelPending)
        {
            fx.Reply(new CancelCaseResult(CommandStatus.Conflict, CaseLifecycle.IsTerminal(state.Status), state.Status, "no cancel is waiting for confirmation"));
            return state;
        }

        fx.History("cancel_confirmed", m.RequestedBy);
        state = ExecuteCancel(state, fx);
        fx.Reply(new CancelCaseResult(CommandStatus.Accepted, false, state.Status));
        return state;
    }

    private static CaseState Override(CaseState state, OverrideCancel m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new CancelCaseResult(CommandStatus.CaseNotFound, false, null, $"case '{state.CaseId}' does not exist"));
            return state;
        }

        if (Refuse(state, m.RequestedBy, m.HasAdminRole, "override_cancel", fx, out var refused))
        {
            fx.Reply(new CancelCaseResult(CommandStatus.Forbidden, false, state.Status, $"{m.RequestedBy} may not override a cancel of case '{state.CaseId}'"));
            return refused;
        }

        if (state.Status != CaseStatus.CancelPending)
        {
            fx.Reply(new CancelCaseResult(CommandStatus.Conflict, CaseLifecycle.IsTerminal(state.Status), state.Status, "no cancel is in its hold; it can no longer be withdrawn"));
            return state;
        }

        fx.ClearReminder(HoldReminder);
        fx.History("cancel_overridden", m.RequestedBy, m.Reason, detail: new { requestedBy = state.CancelRequest?.RequestedBy, falseCancellation = true });
        fx.Measure(Measure.FalseCancellation, 1);
        state = state with
        {
            CancelRequest = state.CancelRequest! with { OverriddenAt = fx.Now, OverriddenBy = m.RequestedBy },
            Measures = state.Measures with { FalseCancellations = state.Measures.FalseCancellations + 1 },
        };
        state = CaseLifecycle.Transition(state, CaseStatus.Running, m.RequestedBy, m.Reason ?? "cancel overridden during its hold", fx);
        fx.Reply(new CancelCaseResult(CommandStatus.Accepted, false, state.Status));
        return state;
    }

    private static CaseState OnHoldExpired(CaseState state, CancelHoldExpired m, EffectBuffer fx)
    {
        if (state.Status != CaseStatus.CancelPending || state.CancelRequest?.RequestedAt != m.RequestedAt)
        {
            return state;
        }

        fx.History("cancel_hold_ended", System, "the confirmation hold ended without an override");
        return ExecuteCancel(state, fx);
    }

    /// <summary>Carries out the case's cancel request: status, every pending node cancelled, every active task told.</summary>
    private static CaseState ExecuteCancel(CaseState state, EffectBuffer fx)
    {
        var request = state.CancelRequest!;
        if (state.Status == CaseStatus.CancelPending)
        {
            fx.ClearReminder(HoldReminder);
        }

        var to = request.Mode == CancelMode.Force ? CaseStatus.ForceCancelling : CaseStatus.Cancelling;
        state = CaseLifecycle.Transition(state with { CancelRequest = request with { ExecutedAt = fx.Now } }, to, request.RequestedBy, request.Reason, fx);
        fx.Measure(Measure.CancelRequested, 1);
        state = WindDown(state, request.Mode, request.RequestedBy, request.Reason, CaseTaskStatus.Cancelled, fx);
        return MaybeFinish(state, fx);
    }

    /// <summary>
    /// A force on a cancelling case: whatever still runs is fenced. A case winding down on its own (Cancel Activity
    /// left it no route) has no request yet: this force is its Cancel Case, carried out now.
    /// </summary>
    private static CaseState Escalate(CaseState state, CaseCancelRequest force, EffectBuffer fx)
    {
        var request = state.CancelRequest is { } current ? current with { Mode = CancelMode.Force } : force with { ExecutedAt = fx.Now };
        var (by, reason) = (force.RequestedBy, force.Reason);
        state = CaseLifecycle.Transition(state with { CancelRequest = request }, CaseStatus.ForceCancelling, by, reason, fx);
        var nodes = state.Nodes;
        foreach (var run in state.Nodes.Values)
        {
            if (run.Status == CaseTaskStatus.Ready && !run.ForceRequested)
            {
                fx.Send(GrainKeys.Task(state.CaseId, run.NodeId), new CancelTask
                {
                    Mode = CancelMode.Force,
                    Reason = reason,
                    RequestedBy = by,
                    RequestedAt = fx.Now,
                    GracePeriodSeconds = 0,
                });
                nodes = nodes.SetItem(run.NodeId, run with { ForceRequested = true, CancelRequestedAt = run.CancelRequestedAt ?? fx.Now });
            }
        }

        return state with { Nodes = nodes };
    }
}
