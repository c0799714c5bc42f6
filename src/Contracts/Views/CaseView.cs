using System.Collections.Immutable;
using System.Text.Json;

namespace Ripcord.Contracts;

/// <summary>The body of <c>GET /api/v1/cases/{caseId}</c>.</summary>
[GenerateSerializer]
[Alias("ripcord.views.case-view")]
public sealed record CaseView
{
    [Id(0)]
    public required string CaseId { get; init; }

    [Id(1)]
    public required string Process { get; init; }

    [Id(2)]
    public CaseStatus Status { get; init; }

    [Id(3)]
    public DateTimeOffset CreatedAt { get; init; }

    [Id(4)]
    public DateTimeOffset? EndedAt { get; init; }

    [Id(5)]
    public JsonElement? Output { get; init; }

    /// <summary>The case-level cancel request, if one was made.</summary>
    [Id(6)]
    public CaseCancelView? Cancel { get; init; }

    [Id(7)]
    public ImmutableArray<TaskView> Tasks { get; init; } = [];

    [Id(8)]
    public ImmutableArray<ResourceView> Resources { get; init; } = [];

    [Id(9)]
    public ImmutableArray<HistoryEvent> History { get; init; } = [];

    /// <summary>The case's cancellation measures.</summary>
    [Id(10)]
    public CaseMeasures Measures { get; init; } = CaseMeasures.Empty;

    /// <summary>
    /// The history events that call for an administrator (<see cref="HistoryEvent.AlertTypes"/>): refused cancels,
    /// agents that never acknowledged, resources that could not be released. Oldest first.
    /// </summary>
    [Id(11)]
    public ImmutableArray<HistoryEvent> Alerts { get; init; } = [];
}
