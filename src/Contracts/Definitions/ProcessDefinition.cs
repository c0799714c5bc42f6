using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>
/// A process: nodes, edges (<c>[from, to]</c> pairs), cancel defaults and retention, in the format of the HTTP API. Parse and
/// validate with <see cref="ProcessDefinitionParser"/>; a running case keeps the copy it started with.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.definitions.process-definition")]
public sealed record ProcessDefinition
{
    public const double DefaultHeartbeatSeconds = 5;
    public const int DefaultMissedHeartbeats = 3;

    [Id(0)]
    public string Name { get; init; } = "";

    [Id(1)]
    public ImmutableArray<NodeDefinition> Nodes { get; init; } = [];

    [Id(2)]
    public ImmutableArray<ImmutableArray<string>> Edges { get; init; } = [];

    [Id(3)]
    public CancelSettings Cancel { get; init; } = CancelSettings.Default;

    /// <summary>How often agents are asked to heartbeat. Default 5 s.</summary>
    [Id(4)]
    public double HeartbeatSeconds { get; init; } = DefaultHeartbeatSeconds;

    /// <summary>Seconds without a heartbeat after which a lease is lost. Null: 3 missed heartbeats.</summary>
    [Id(5)]
    public double? LeaseSeconds { get; init; }

    [Id(6)]
    public ReleaseSettings Release { get; init; } = ReleaseSettings.Default;

    /// <summary>How long an ended case keeps its payloads (data minimization).</summary>
    [Id(7)]
    public RetentionSettings Retention { get; init; } = RetentionSettings.Default;

    [System.Text.Json.Serialization.JsonIgnore]
    public double EffectiveLeaseSeconds => LeaseSeconds ?? HeartbeatSeconds * DefaultMissedHeartbeats;

    public NodeDefinition? FindNode(string id)
    {
        foreach (var node in Nodes)
        {
            if (node.Id == id)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Ids of the nodes with an edge into <paramref name="id"/>, in edge order.</summary>
    public ImmutableArray<string> PredecessorsOf(string id)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var edge in Edges)
        {
            if (edge.Length == 2 && edge[1] == id)
            {
                builder.Add(edge[0]);
            }
        }

        return builder.ToImmutable();
    }

    public ImmutableArray<string> SuccessorsOf(string id)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var edge in Edges)
        {
            if (edge.Length == 2 && edge[0] == id)
            {
                builder.Add(edge[1]);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>True for a node that is some task's <c>onCancel</c> target and has no incoming edge: it runs only as a fallback.</summary>
    public bool IsFallbackOnly(string id)
    {
        if (!PredecessorsOf(id).IsEmpty)
        {
            return false;
        }

        foreach (var node in Nodes)
        {
            if (node.OnCancel == id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The nodes a case starts with: no incoming edge and not only a fallback.</summary>
    public IEnumerable<NodeDefinition> StartNodes() => Nodes.Where(n => PredecessorsOf(n.Id).IsEmpty && !IsFallbackOnly(n.Id));

    /// <summary>The nodes whose <c>onCancel</c> names <paramref name="id"/>.</summary>
    public IEnumerable<NodeDefinition> FallbackSourcesOf(string id) => Nodes.Where(n => n.OnCancel == id);

    public bool IsTerminal(string id) => SuccessorsOf(id).IsEmpty;
}
