using Ripcord.Contracts;
using Ripcord.Contracts.Cases;

namespace Ripcord.Grains.Cases;

/// <summary>
/// The case lifecycle: the only place a case's status changes. Allowed moves:
/// <code>
/// running          -> completed | failed | cancel_pending | cancelling | force_cancelling
/// cancel_pending   -> running (override) | cancelling | force_cancelling | completed | failed
/// cancelling       -> force_cancelling | cancelled
/// force_cancelling -> cancelled
/// completed, failed, cancelled: terminal
/// </code>
/// Ending starts the process's retention period, if it has one for that status.
/// </summary>
public static class CaseLifecycle
{
    public static bool IsTerminal(CaseStatus status) => status is CaseStatus.Completed or CaseStatus.Failed or CaseStatus.Cancelled;

    /// <summary>True while a Cancel Case is being carried out.</summary>
    public static bool IsCancelling(CaseStatus status) => status is CaseStatus.Cancelling or CaseStatus.ForceCancelling;

    /// <summary>True while nodes may still start (the case runs, possibly inside a confirmation hold).</summary>
    public static bool IsActive(CaseStatus status) => status is CaseStatus.Running or CaseStatus.CancelPending;

    public static bool CanMove(CaseStatus from, CaseStatus to) => from switch
    {
        CaseStatus.Running => to is CaseStatus.Completed or CaseStatus.Failed or CaseStatus.CancelPending
            or CaseStatus.Cancelling or CaseStatus.ForceCancelling,
        CaseStatus.CancelPending => to is CaseStatus.Running or CaseStatus.Cancelling or CaseStatus.ForceCancelling
            or CaseStatus.Completed or CaseStatus.Failed,
        CaseStatus.Cancelling => to is CaseStatus.ForceCancelling or CaseStatus.Cancelled,
        CaseStatus.ForceCancelling => to is CaseStatus.Cancelled,
        _ => false,
    };

    /// <summary>Moves the case to <paramref name="to"/> and records it; throws <see cref="InvalidStatusTransitionException"/> for a move not listed above.</summary>
    public static CaseState Transition(CaseState state, CaseStatus to, string actor, string? reason, EffectBuffer effects)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(effects);
        if (!CanMove(state.Status, to))
        {
            throw new InvalidStatusTransitionException("case", $"case '{state.CaseId}'", ApiNames.Of(state.Status), ApiNames.Of(to));
        }

        effects.History("case_" + ApiNames.Of(to), actor, reason, detail: new { from = ApiNames.Of(state.Status), to = ApiNames.Of(to) });
        if (IsTerminal(to) && (state.Definition?.Retention ?? RetentionSettings.Default).PeriodAfter(to) is { } retention)
        {
            // Durable like every deadline: an absolute time in the grain's state, armed again after a restart.
            effects.SetReminder(CaseMachine.RetentionReminder, effects.Now + retention, new RetentionDue(effects.Now));
        }

        return state with
        {
            Status = to,
            EndedAt = IsTerminal(to) ? effects.Now : state.EndedAt,
            EndReason = IsTerminal(to) ? reason : state.EndReason,
        };
    }
}
