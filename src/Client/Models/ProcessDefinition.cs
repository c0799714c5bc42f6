using System.Text.Json;
using System.Text.Json.Serialization;

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

    /// <summary>How often agents heartbeat. Default: the server's (5 s).</summary>
    public double? HeartbeatSeconds { get; init; }

    /// <summary>Seconds without a heartbeat after which an agent loses its lease. Default: the server's (3 missed heartbeats).</summary>
    public double? LeaseSeconds { get; init; }

    /// <summary>How the resource registry retries releases. Default: the server's.</summary>
    public ReleaseDefaults? Release { get; init; }

    /// <summary>How long an ended case keeps its payloads. Default: the server's (until purged).</summary>
    public RetentionDefaults? Retention { get; init; }

    /// <summary>Fields this client version does not model, kept so a definition read from the server can be sent back whole.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; init; }
}
