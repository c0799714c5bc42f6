using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>
/// Checks a definition's graph and settings. Every fault is reported (not only the first), each naming the node or
/// edge at fault, so an author can fix a definition in one go.
/// </summary>
public static class ProcessDefinitionValidator
{
    public static ImmutableArray<DefinitionError> Validate(ProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = ImmutableArray.CreateBuilder<DefinitionError>();
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            errors.Add(new(DefinitionErrorCodes.MissingName, "the process has no name"));
        }

        var nodes = definition.Nodes.IsDefault ? [] : definition.Nodes;
        var edges = definition.Edges.IsDefault ? [] : definition.Edges;
        if (nodes.IsEmpty)
        {
            errors.Add(new(DefinitionErrorCodes.NoNodes, "the process has no nodes"));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            CheckNode(nodes[i], i, ids, errors);
        }

        var graph = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            graph[id] = [];
        }

        for (var i = 0; i < edges.Length; i++)
        {
            var edge = edges[i];
            if (edge.IsDefault || edge.Length != 2 || string.IsNullOrEmpty(edge[0]) || string.IsNullOrEmpty(edge[1]))
            {
                errors.Add(new(DefinitionErrorCodes.InvalidEdge, $"edge #{i + 1} must be a pair [from, to] of node ids"));
                continue;
            }

            var known = true;
            foreach (var end in edge)
            {
                if (!ids.Contains(end))
                {
                    errors.Add(new(DefinitionErrorCodes.UnknownNodeInEdge, $"edge [{edge[0]}, {edge[1]}] names unknown node '{end}'", end));
                    known = false;
                }
            }

            if (known)
            {
                graph[edge[0]].Add(edge[1]);
            }
        }

        foreach (var node in nodes)
        {
            if (node?.OnCancel is not { } target || string.IsNullOrEmpty(node.Id))
            {
                continue;
            }

            if (!ids.Contains(target))
            {
                errors.Add(new(DefinitionErrorCodes.MissingOnCancelTarget, $"node '{node.Id}' has onCancel '{target}', which is not a node", node.Id));
            }
            else if (target == node.Id)
            {
                errors.Add(new(DefinitionErrorCodes.InvalidOnCancel, $"node '{node.Id}' names itself as its onCancel fallback", node.Id));
            }
            else if (node.IsJoin)
            {
                errors.Add(new(DefinitionErrorCodes.InvalidOnCancel, $"join node '{node.Id}' cannot have an onCancel fallback: only tasks are cancelled", node.Id));
            }
        }

        var cycle = FindCycle(graph);
        if (cycle is not null)
        {
            errors.Add(new(DefinitionErrorCodes.Cycle, $"the edges form a cycle: {string.Join(" -> ", cycle)}", cycle[0]));
        }

        foreach (var unreachable in FindUnreachable(nodes, edges, ids, graph))
        {
            errors.Add(new(DefinitionErrorCodes.UnreachableNode, $"node '{unreachable}' can never start: no path from a start node or a fallback reaches it", unreachable));
        }

        foreach (var fault in (definition.Cancel ?? CancelSettings.Default).Validate())
        {
            errors.Add(new(DefinitionErrorCodes.InvalidSettings, fault));
        }

        foreach (var fault in (definition.Release ?? ReleaseSettings.Default).Validate())
        {
            errors.Add(new(DefinitionErrorCodes.InvalidSettings, fault));
        }

        if (!(definition.HeartbeatSeconds > 0) || double.IsInfinity(definition.HeartbeatSeconds))
        {
            errors.Add(new(DefinitionErrorCodes.InvalidSettings, $"heartbeatSeconds must be positive, not {definition.HeartbeatSeconds}"));
        }
        else if (definition.LeaseSeconds is { } lease && !(lease >= definition.HeartbeatSeconds))
        {
            errors.Add(new(DefinitionErrorCodes.InvalidSettings, $"leaseSeconds ({lease}) must be at least heartbeatSeconds ({definition.HeartbeatSeconds})"));
        }

        return errors.ToImmutable();
    }

    private static void CheckNode(NodeDefinition? node, int index, HashSet<string> ids, ImmutableArray<DefinitionError>.Builder errors)
    {
        if (node is null || string.IsNullOrWhiteSpace(node.Id))
        {
            errors.Add(new(DefinitionErrorCodes.MissingNodeId, $"node #{index + 1} has no id"));
            return;
        }

        if (!ids.Add(node.Id))
        {
            errors.Add(new(DefinitionErrorCodes.DuplicateNode, $"node id '{node.Id}' is used twice", node.Id));
        }

        if (node.Join is not null)
        {
            if (node.JoinMode is null)
            {
                errors.Add(new(DefinitionErrorCodes.UnknownJoinMode, $"node '{node.Id}' has join mode '{node.Join}'; use \"first\" or \"all\"", node.Id));
            }

            if (node.Agent is not null)
            {
                errors.Add(new(DefinitionErrorCodes.JoinWithAgent, $"node '{node.Id}' has both an agent and a join; a join is built in", node.Id));
            }
        }
        else if (string.IsNullOrWhiteSpace(node.Agent))
        {
            errors.Add(new(DefinitionErrorCodes.TaskWithoutAgent, $"node '{node.Id}' has no agent (and is not a join)", node.Id));
        }

        if (node.TimeoutSeconds is { } timeout && (!(timeout > 0) || double.IsInfinity(timeout)))
        {
            errors.Add(new(DefinitionErrorCodes.InvalidTimeout, $"node '{node.Id}' has timeoutSeconds {timeout}; it must be positive", node.Id));
        }

        if (node.CheckpointWaitSeconds is { } wait)
        {
            if (!(wait >= 0) || wait > NodeDefinition.MaxCheckpointWaitSeconds)
            {
                errors.Add(new(DefinitionErrorCodes.InvalidCheckpointWait, $"node '{node.Id}' has checkpointWaitSeconds {wait}; it must be between 0 and {NodeDefinition.MaxCheckpointWaitSeconds}", node.Id));
            }
            else if (node.OnCancel is null)
            {
                errors.Add(new(DefinitionErrorCodes.InvalidCheckpointWait, $"node '{node.Id}' has checkpointWaitSeconds but no onCancel fallback to start", node.Id));
            }
        }

        if (node.MaxAttempts is { } attempts && attempts < 1)
        {
            errors.Add(new(DefinitionErrorCodes.InvalidMaxAttempts, $"node '{node.Id}' has maxAttempts {attempts}; it must be at least 1", node.Id));
        }
    }

    /// <summary>Depth-first search with colours; returns the nodes of one cycle, first node repeated at the end.</summary>
    private static List<string>? FindCycle(Dictionary<string, List<string>> graph)
    {
        var colour = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            var found = Visit(start);
            if (found is not null)
            {
                return found;
            }
        }

        return null;

        List<string>? Visit(string id)
        {
            var state = colour.GetValueOrDefault(id);
            if (state == 2)
            {
                return null;
            }

            if (state == 1)
            {
                var from = stack.IndexOf(id);
                var cycle = stack.GetRange(from, stack.Count - from);
                cycle.Add(id);
                return cycle;
            }

            colour[id] = 1;
            stack.Add(id);
            foreach (var next in graph[id])
            {
                var found = Visit(next);
                if (found is not null)
                {
                    return found;
                }
            }

            stack.RemoveAt(stack.Count - 1);
            colour[id] = 2;
            return null;
        }
    }

    private static IEnumerable<string> FindUnreachable(
        ImmutableArray<NodeDefinition> nodes,
        ImmutableArray<ImmutableArray<string>> edges,
        HashSet<string> ids,
        Dictionary<string, List<string>> graph)
    {
        var hasIncoming = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            if (!edge.IsDefault && edge.Length == 2 && edge[1] is not null)
            {
                hasIncoming.Add(edge[1]);
            }
        }

        var fallbackOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var fallbackTargets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node is not null && !string.IsNullOrEmpty(node.Id) && node.OnCancel is { } target && ids.Contains(target))
            {
                fallbackTargets.Add(target);
                if (!fallbackOf.TryGetValue(node.Id, out var list))
                {
                    fallbackOf[node.Id] = list = [];
                }

                list.Add(target);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var id in ids)
        {
            if (!hasIncoming.Contains(id) && !fallbackTargets.Contains(id))
            {
                seen.Add(id);
                queue.Enqueue(id);
            }
        }

        while (queue.TryDequeue(out var id))
        {
            IEnumerable<string> next = graph[id];
            if (fallbackOf.TryGetValue(id, out var fallbacks))
            {
                next = next.Concat(fallbacks);
            }

            foreach (var n in next)
            {
                if (seen.Add(n))
                {
                    queue.Enqueue(n);
                }
            }
        }

        return ids.Where(id => !seen.Contains(id)).Order(StringComparer.Ordinal);
    }
}
