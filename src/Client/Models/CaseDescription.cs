using System.Text.Json;

namespace Ripcord.Client.Models;

/// <summary>The full state of a case: <c>GET /api/v1/cases/{caseId}</c>.</summary>
public sealed record CaseDescription
{
    /// <summary>The case id.</summary>
    public string CaseId { get; init; } = string.Empty;

    /// <summary>The process the case runs.</summary>
    public string? Process { get; init; }

    /// <summary>The case's status.</summary>
    public CaseStatus Status { get; init; }

    /// <summary>When the case started.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the case reached a terminal status.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The case's output, once completed.</summary>
    public JsonElement? Output { get; init; }

    /// <summary>The cancel request, if any.</summary>
    public CaseCancelState? Cancel { get; init; }

    /// <summary>The case's tasks.</summary>
    public IReadOnlyList<CaseTask> Tasks { get; init; } = [];

    /// <summary>The case's resource registry.</summary>
    public IReadOnlyList<CaseResource> Resources { get; init; } = [];

    /// <summary>The case's history, oldest first.</summary>
    public IReadOnlyList<CaseEvent> History { get; init; } = [];

    /// <summary>The case's cancellation measures (latencies, compute saved, resources), when the server reports them.</summary>
    public CaseMeasures? Measures { get; init; }

    /// <summary>When the case's payloads were erased (its retention period ran out, or it was purged); null while they are kept.</summary>
    public DateTimeOffset? RedactedAt { get; init; }

    /// <summary>Who erased them: the administrator who purged the case, or <c>system</c> for the retention period.</summary>
    public string? RedactedBy { get; init; }
}
