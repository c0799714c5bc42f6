using System.Globalization;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Resources;
using Ripcord.Contracts.Tasks;
using Ripcord.Grains.Durability;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Cases;

/// <summary>
/// Data minimization (the Cancel Case seed): an ended case's payloads are erased when its retention period runs out,
/// or at once when an administrator purges it. The case's record of every node keeps its status, times and error;
/// the task and registry grains erase their own payloads; the history keeps every event with its payloads redacted.
/// </summary>
public static partial class CaseMachine
{
    public const string RetentionReminder = "retention";

    private static CaseState Purge(CaseState state, PurgeCase m, EffectBuffer fx)
    {
        if (!state.Exists)
        {
            fx.Reply(new PurgeCaseResult(CommandStatus.CaseNotFound, null, null, $"case '{state.CaseId}' does not exist"));
            return state;
        }

        if (!CaseLifecycle.IsTerminal(state.Status))
        {
            fx.Reply(new PurgeCaseResult(CommandStatus.Conflict, null, null, $"case '{state.CaseId}' is {ApiNames.Of(state.Status)}; only an ended case can be purged"));
            return state;
        }

        if (state.RedactedAt is null)
        {
            state = Redact(state, m.RequestedBy, m.Reason ?? "purged by an administrator", fx);
        }

        fx.Reply(new PurgeCaseResult(CommandStatus.Accepted, state.RedactedAt, state.RedactedBy));
        return state;
    }

    private static CaseState OnRetentionDue(CaseState state, RetentionDue m, EffectBuffer fx)
    {
        if (!state.Exists || !CaseLifecycle.IsTerminal(state.Status) || state.RedactedAt is not null)
        {
            return state;
        }

        var seconds = (fx.Now - m.EndedAt).TotalSeconds;
        return Redact(state, System, $"the retention period ran out {seconds.ToString(CultureInfo.InvariantCulture)}s after the case ended {ApiNames.Of(state.Status)}", fx);
    }

    private static CaseState Redact(CaseState state, string by, string reason, EffectBuffer fx)
    {
        var auditPreserving = (state.Definition!.Retention ?? RetentionSettings.Default).AuditPreserving;
        foreach (var run in state.Nodes.Values)
        {
            if (run.StartedAt is not null)
            {
                fx.Send(GrainKeys.Task(state.CaseId, run.NodeId), new RedactTask(fx.Now));
            }
        }

        fx.Send(GrainKeys.Registry(state.CaseId), new RedactResources(fx.Now));
        fx.Publish(OutboxTopics.HistoryRedaction, new HistoryRedactionRequest(state.CaseId, auditPreserving));
        fx.ClearReminder(RetentionReminder);
        fx.History("case_redacted", by, reason, detail: new { auditPreserving });
        return state with { RedactedAt = fx.Now, RedactedBy = by };
    }

    /// <summary>
    /// After every turn of a redacted case: no input, output or checkpoint, on the case or any node, including what a
    /// task still stopping reports after the redaction.
    /// </summary>
    private static CaseState ErasePayloads(CaseState state)
    {
        if (state.RedactedAt is null)
        {
            return state;
        }

        var nodes = state.Nodes;
        foreach (var run in state.Nodes.Values)
        {
            if (run.Input is not null || run.Output is not null || run.Checkpoint is not null)
            {
                nodes = nodes.SetItem(run.NodeId, run with { Input = null, Output = null, Checkpoint = null });
            }
        }

        return state.Input is null && state.Output is null && ReferenceEquals(nodes, state.Nodes)
            ? state
            : state with { Input = null, Output = null, Nodes = nodes };
    }
}
