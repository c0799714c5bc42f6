using System.Collections.Immutable;
using System.Text.Json;

namespace Ripcord.Contracts;

/// <summary>The body of <c>GET /api/v1/cases/{caseId}</c>.</summary>
public sealed record CaseView
{
    public required string CaseId { get; init; }

    public required string Process { get; init; }

    public CaseStatus Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public JsonElement? Output { get; init; }

    /// <summary>The case-level cancel request, if one was made.</summary>
    public CaseCancelView? Cancel { get; init; }

    public ImmutableArray<TaskView> Tasks { get; init; } = [];

    public ImmutableArray<ResourceView> Resources { get; init; } = [];

    public ImmutableArray<HistoryEvent> History { get; init; } = [];

    /// <summary>The case's cancellation measures.</summary>
    public CaseMeasures Measures { get; init; } = CaseMeasures.Empty;
}
