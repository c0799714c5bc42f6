using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ripcord.Contracts;

namespace Ripcord.Grains.Cases;

/// <summary>The persistent state of a case grain. <see cref="Definition"/> is null until the case is started.</summary>
public sealed record CaseState
{
    public required string CaseId { get; init; }

    /// <summary>The process as it was when the case started; replacing the process later does not change it.</summary>
    public ProcessDefinition? Definition { get; init; }

    public CaseStatus Status { get; init; }

    public JsonElement? Input { get; init; }

    public JsonElement? Output { get; init; }

    public string StartedBy { get; init; } = "";

    public ImmutableArray<string> Admins { get; init; } = [];

    /// <summary>The definition's cancel block with the case's overrides applied.</summary>
    public CancelSettings Cancel { get; init; } = CancelSettings.Default;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? EndReason { get; init; }

    /// <summary>The latest Cancel Case request (kept after an override, for the record).</summary>
    public CaseCancelRequest? CancelRequest { get; init; }

    /// <summary>What the case knows of each node, keyed by node id.</summary>
    public ImmutableDictionary<string, NodeRun> Nodes { get; init; } = ImmutableDictionary<string, NodeRun>.Empty;

    /// <summary>Set once the registry was told to release everything, or the case settled without it.</summary>
    public bool RegistryClosed { get; init; }

    /// <summary>
    /// Set on a case started since its tasks' ends count the resources they handed over (<see cref="NodeRun.Resources"/>):
    /// only such a case may settle without its registry. A case stored before keeps closing it.
    /// </summary>
    public bool CountsResources { get; init; }

    /// <summary>Set when the case ended with no task having handed over a resource, so it settled without activating its registry.</summary>
    public bool SettledWithoutRegistry { get; init; }

    /// <summary>When the registry last reported nothing held or releasing.</summary>
    public DateTimeOffset? ResourcesSettledAt { get; init; }

    public CaseMeasures Measures { get; init; } = CaseMeasures.Empty;

    /// <summary>When the case's payloads were erased (data minimization); null while they are kept.</summary>
    public DateTimeOffset? RedactedAt { get; init; }

    /// <summary>Who erased them: an administrator's purge, or <c>system</c> when the retention period ran out.</summary>
    public string? RedactedBy { get; init; }

    [JsonIgnore]
    public bool Exists => Definition is not null;

    public static CaseState Empty(string caseId) => new() { CaseId = caseId };
}
