using System.Collections.Immutable;
using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Grains.Tasks;

namespace Ripcord.Grains.Cases;

public static partial class CaseMachine
{
    /// <summary>Starts a node: a task gets its grain started; a join is evaluated by <see cref="Advance"/>.</summary>
    private static CaseState StartNode(CaseState state, NodeDefinition node, JsonElement? input, JsonElement? checkpoint, EffectBuffer fx)
    {
        var run = state.Nodes[node.Id];
        var definition = state.Definition!;

        // The task grain records its own task_ready; the case only notes that it started it.
        TaskLifecycle.EnsureAllowed(state.CaseId, node.Id, run.Status, CaseTaskStatus.Ready, node.IsJoin);
        fx.Send(GrainKeys.Task(state.CaseId, node.Id), new StartTask
        {
            Node = node,
            Input = input,
            Checkpoint = checkpoint,
            Settings = new TaskSettings
            {
                HeartbeatSeconds = definition.HeartbeatSeconds,
                LeaseSeconds = definition.EffectiveLeaseSeconds,
                Cancel = state.Cancel,
                Release = definition.Release,
            },
        });
        return state with
        {
            Nodes = state.Nodes.SetItem(node.Id, run with
            {
                Status = CaseTaskStatus.Ready,
                Input = input,
                Checkpoint = checkpoint,
                StartedAt = fx.Now,
            }),
        };
    }

    /// <summary>A status change the case decides itself (joins, and nodes that never started), recorded in history.</summary>
    private static CaseState MoveNode(CaseState state, NodeDefinition node, CaseTaskStatus to, string actor, string? reason, EffectBuffer fx, JsonElement? output = null)
    {
        var run = state.Nodes[node.Id];
        TaskLifecycle.Check(state.CaseId, node.Id, run.Status, to, node.IsJoin, actor, reason, fx);
        return state with
        {
            Nodes = state.Nodes.SetItem(node.Id, run with
            {
                Status = to,
                Output = output ?? run.Output,
                EndedAt = TaskLifecycle.IsTerminal(to) ? fx.Now : run.EndedAt,
            }),
        };
    }

    /// <summary>
    /// Starts every node whose predecessors allow it and skips every node that can no longer run, until nothing
    /// changes; then completes the case if a terminal node produced output, or ends it if no route is left.
    /// </summary>
    private static CaseState Advance(CaseState state, EffectBuffer fx)
    {
        var definition = state.Definition!;
        var changed = true;
        while (changed && CaseLifecycle.IsActive(state.Status))
        {
            changed = false;
            foreach (var node in definition.Nodes)
            {
                if (!CaseLifecycle.IsActive(state.Status))
                {
                    break;
                }

                var run = state.Nodes[node.Id];
                if (run.Status != CaseTaskStatus.Pending)
                {
                    continue;
                }

                var predecessors = definition.PredecessorsOf(node.Id);
                if (predecessors.IsEmpty)
                {
                    // A fallback-only node whose sources all ended without being cancelled will never run.
                    if (definition.IsFallbackOnly(node.Id)
                        && definition.FallbackSourcesOf(node.Id).All(s => TaskLifecycle.IsTerminal(state.Nodes[s.Id].Status)))
                    {
                        state = MoveNode(state, node, CaseTaskStatus.Skipped, System, "its source task ended without being cancelled", fx);
                        changed = true;
                    }

                    continue;
                }

                var completed = predecessors.Where(p => state.Nodes[p].Status == CaseTaskStatus.Completed).ToList();
                var dead = predecessors.Count(p => IsDead(state.Nodes[p].Status));
                if (node.JoinMode == JoinMode.First)
                {
                    if (completed.Count > 0)
                    {
                        // First-writer latch: the earliest output wins; later ones are recorded as discarded on arrival.
                        var winner = completed.OrderBy(p => state.Nodes[p].EndedAt).First();
                        fx.History("join_first_taken", System, $"'{winner}' arrived first", node.Id, new { from = winner });
                        state = CompleteNode(state, node, state.Nodes[winner].Output, fx);
                        changed = true;
                    }
                    else if (dead == predecessors.Length)
                    {
                        state = MoveNode(state, node, CaseTaskStatus.Skipped, System, "no predecessor produced output", fx);
                        changed = true;
                    }

                    continue;
                }

                if (dead > 0)
                {
                    state = MoveNode(state, node, CaseTaskStatus.Skipped, System, "a predecessor ended without output", fx);
                    changed = true;
                    continue;
                }

                if (completed.Count < predecessors.Length)
                {
                    continue;
                }

                JsonElement? input = predecessors.Length == 1 && !node.IsJoin
                    ? state.Nodes[predecessors[0]].Output
                    : JsonObjects.Keyed(predecessors.Select(p => new KeyValuePair<string, JsonElement?>(p, state.Nodes[p].Output)));
                state = node.IsJoin ? CompleteNode(state, node, input, fx) : StartNode(state, node, input, null, fx);
                changed = true;
            }
        }

        if (CaseLifecycle.IsActive(state.Status) && definition.Nodes.Where(n => definition.IsTerminal(n.Id)).All(n => IsDead(state.Nodes[n.Id].Status)))
        {
            // No terminal node can produce output any more (only cancels without a fallback lead here): whatever still
            // runs is wasted, so the case winds down like a Cancel Case and is cancelled once its resources settle.
            const string reason = "no route to a terminal node is left after the cancelled tasks";
            state = CaseLifecycle.Transition(ClearHold(state, fx), CaseStatus.Cancelling, System, reason, fx);
            state = WindDown(state, CancelMode.Standard, System, reason, CaseTaskStatus.Cancelled, fx);
            state = MaybeFinish(state, fx);
        }

        return state;
    }

    private static bool IsDead(CaseTaskStatus status) => status is CaseTaskStatus.Skipped or CaseTaskStatus.Cancelled or CaseTaskStatus.Failed;

    private static CaseState CompleteNode(CaseState state, NodeDefinition node, JsonElement? output, EffectBuffer fx)
    {
        state = MoveNode(state, node, CaseTaskStatus.Completed, System, null, fx, output);
        return state.Definition!.IsTerminal(node.Id) ? CompleteCase(state, node.Id, output, fx) : state;
    }

    private static CaseState CompleteCase(CaseState state, string nodeId, JsonElement? output, EffectBuffer fx)
    {
        var viaFallback = state.Definition!.Nodes.Any(n => n.OnCancel is { } target && state.Nodes[target].Status == CaseTaskStatus.Completed);
        state = state with { Output = output, Measures = state.Measures with { CompletedViaFallback = viaFallback } };
        state = CaseLifecycle.Transition(ClearHold(state, fx), CaseStatus.Completed, System, $"terminal node '{nodeId}' produced the output", fx);
        return WindDown(state, CancelMode.Standard, System, "the case completed", CaseTaskStatus.Skipped, fx);
    }

    private static CaseState FailCase(CaseState state, string taskId, string? error, EffectBuffer fx)
    {
        var reason = $"task '{taskId}' failed: {error ?? "no error given"}";
        state = CaseLifecycle.Transition(ClearHold(state, fx), CaseStatus.Failed, System, reason, fx);
        return WindDown(state, CancelMode.Standard, System, "the case failed", CaseTaskStatus.Skipped, fx);
    }

    /// <summary>A case that ends during a confirmation hold drops the hold's reminder.</summary>
    private static CaseState ClearHold(CaseState state, EffectBuffer fx)
    {
        if (state.Status == CaseStatus.CancelPending)
        {
            fx.ClearReminder(HoldReminder);
        }

        return state;
    }

    private static CaseState OnTaskEnded(CaseState state, TaskEnded m, EffectBuffer fx)
    {
        if (!state.Exists || !state.Nodes.TryGetValue(m.TaskId, out var run) || TaskLifecycle.IsTerminal(run.Status) || !TaskLifecycle.IsTerminal(m.Status))
        {
            // Unknown, duplicate or not an end: the task grain is authoritative and already recorded it.
            return state;
        }

        // Mirror what the task grain decided (it validated and recorded the move).
        TaskLifecycle.EnsureReportable(state.CaseId, m.TaskId, run.Status, m.Status);
        state = state with
        {
            Nodes = state.Nodes.SetItem(m.TaskId, run with
            {
                Status = m.Status,
                Output = m.Output,
                Checkpoint = m.Checkpoint,
                Error = m.Error,
                AgentId = m.AgentId,
                Attempt = m.Attempt,
                EndedAt = fx.Now,
                Resources = m.Resources,
            }),
        };
        if (m.Cancel is { } measure)
        {
            state = RecordCancelMeasure(state, measure, fx);
        }

        var node = state.Definition!.FindNode(m.TaskId)!;
        if (!CaseLifecycle.IsActive(state.Status))
        {
            if (m.Status == CaseTaskStatus.Completed)
            {
                fx.History("output_discarded", m.AgentId ?? System, $"the case is {ApiNames.Of(state.Status)}; no node runs after it ended or was cancelled", m.TaskId, new { output = m.Output });
            }

            state = MaybeCloseRegistry(state, state.EndReason ?? state.CancelRequest?.Reason, fx);
            return MaybeFinish(state, fx);
        }

        switch (m.Status)
        {
            case CaseTaskStatus.Completed:
                foreach (var successor in state.Definition.SuccessorsOf(m.TaskId))
                {
                    var next = state.Nodes[successor];
                    if (state.Definition.FindNode(successor)!.JoinMode == JoinMode.First && next.Status == CaseTaskStatus.Completed)
                    {
                        fx.History("output_discarded", m.AgentId ?? System, $"join '{successor}' already took an earlier output", m.TaskId, new { join = successor, output = m.Output });
                    }
                }

                return state.Definition.IsTerminal(m.TaskId) ? CompleteCase(state, m.TaskId, m.Output, fx) : Advance(state, fx);
            case CaseTaskStatus.Cancelled when node.OnCancel is { } fallback:
                if (state.Nodes[fallback].Status == CaseTaskStatus.Pending)
                {
                    fx.History("fallback_started", System, $"'{m.TaskId}' was cancelled", fallback, new { source = m.TaskId, hasCheckpoint = m.Checkpoint is not null });
                    state = StartNode(state, state.Definition.FindNode(fallback)!, run.Input ?? state.Input, m.Checkpoint, fx);
                }
                else if (m.Checkpoint is not null)
                {
                    // The checkpoint wait ran out first: the fallback already runs from an earlier checkpoint.
                    fx.History("checkpoint_after_fallback", m.AgentId ?? System, $"'{fallback}' had already started when '{m.TaskId}' stopped", m.TaskId, new { fallback });
                }

                return Advance(state, fx);
            case CaseTaskStatus.Failed:
                return FailCase(state, m.TaskId, m.Error, fx);
            default:
                return Advance(state, fx);
        }
    }
}
