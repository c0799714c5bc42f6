namespace Ripcord.Client.Models;

/// <summary>A process definition: a graph of agent tasks and built-in joins (see the API's "Process definitions").</summary>
public sealed record ProcessDefinition
{
    /// <summary>The process name; cases name it in <see cref="StartCaseOptions.Process"/>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The graph's nodes.</summary>
    public IReadOnlyList<ProcessNode> Nodes { get; init; } = [];

    /// <summary>The graph's edges, each a pair <c>[from, to]</c> of node ids.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Edges { get; init; } = [];

    /// <summary>The cancel defaults of the process's cases.</summary>
    public CancelDefaults? Cancel { get; init; }
}
