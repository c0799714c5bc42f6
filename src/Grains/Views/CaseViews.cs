using System.Collections.Immutable;
using Ripcord.Contracts;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;
using Ripcord.Grains.Storage;

namespace Ripcord.Grains.Views;

/// <summary>
/// Builds the API's case views from committed grain states. Task grains are authoritative for tasks that started;
/// the case's own record covers joins and nodes that never started.
/// </summary>
public static class CaseViews
{
    public static CaseView Build(CaseState state, IEnumerable<TaskView> tasks, ImmutableArray<ResourceView> resources, IReadOnlyList<HistoryEvent> history)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(tasks);
        var definition = state.Definition ?? throw new ArgumentException("The case was never started.", nameof(state));
        var byId = tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var views = ImmutableArray.CreateBuilder<TaskView>(definition.Nodes.Length);
        foreach (var node in definition.Nodes)
        {
            var run = state.Nodes[node.Id];
            views.Add(byId.TryGetValue(node.Id, out var task) ? task : FromRun(node, run));
        }

        return new CaseView
        {
            CaseId = state.CaseId,
            Process = definition.Name,
            Status = state.Status,
            CreatedAt = state.CreatedAt,
            EndedAt = state.EndedAt,
            Output = state.Output,
            Cancel = state.CancelRequest is { } c ? new CaseCancelView
            {
                Mode = c.Mode,
                RequestedBy = c.RequestedBy,
                RequestedAt = c.RequestedAt,
                Reason = c.Reason,
                HoldUntil = c.HoldUntil,
                ExecutedAt = c.ExecutedAt,
                OverriddenAt = c.OverriddenAt,
                OverriddenBy = c.OverriddenBy,
            }
            : null,
            Tasks = views.MoveToImmutable(),
            Resources = resources.IsDefault ? [] : resources,
            History = [.. history],
            Alerts = [.. history.Where(e => HistoryEvent.AlertTypes.Contains(e.Type))],
            Measures = state.Measures,
        };
    }

    /// <summary>The case's row in the case index.</summary>
    public static CaseIndexEntry IndexEntry(CaseState state, long version)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new CaseIndexEntry
        {
            CaseId = state.CaseId,
            Process = state.Definition?.Name ?? "",
            Status = state.Status,
            CreatedAt = state.CreatedAt,
            EndedAt = state.EndedAt,
            HadHold = state.CancelRequest?.HoldUntil is not null,
            Measures = state.Measures,
            Version = version,
        };
    }

    public static ImmutableArray<ResourceView> Resources(RegistryState registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return [.. registry.Resources.Values.OrderBy(r => r.RegisteredAt).ThenBy(r => r.ResourceId, StringComparer.Ordinal).Select(FromResource)];
    }

    public static TaskView FromTask(TaskState task) => new()
    {
        TaskId = task.TaskId,
        Node = task.TaskId,
        Status = task.Status,
        Agent = task.Node?.Agent,
        AgentId = task.AgentId,
        Attempt = task.Attempt,
        Cancel = task.Cancel is { } c ? new TaskCancelView
        {
            Mode = c.Mode,
            Reason = c.Reason,
            RequestedBy = c.RequestedBy,
            RequestedAt = c.RequestedAt,
            SignalledAt = c.SignalledAt,
            DeliveredAt = c.DeliveredAt,
            AckedAt = c.AckedAt,
            Deadline = c.Deadline,
            EscalationLevel = c.EscalationLevel,
            Fenced = c.Fenced,
            FallbackDueAt = c.FallbackDueAt,
        }
        : null,
        Progress = task.Progress,
        LastHeartbeatAt = task.LastHeartbeatAt,
        Usage = task.Usage,
        Estimate = task.Estimate,
        Output = task.Output,
        Error = task.Error,
        CheckpointSavedAt = task.CheckpointSavedAt,
    };

    private static TaskView FromRun(NodeDefinition node, NodeRun run) => new()
    {
        TaskId = node.Id,
        Node = node.Id,
        Status = run.Status,
        Agent = node.Agent,
        AgentId = run.AgentId,
        Attempt = run.Attempt,
        Output = run.Output,
        Error = run.Error,
    };

    private static ResourceView FromResource(ResourceEntry entry) => new()
    {
        ResourceId = entry.ResourceId,
        Kind = entry.Kind,
        TaskId = entry.TaskId,
        Status = entry.Status,
        Attempts = entry.Attempts,
        LastError = entry.LastError,
    };
}
