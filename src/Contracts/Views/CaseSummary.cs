namespace Ripcord.Contracts;

/// <summary>One row of <c>GET /api/v1/cases</c>.</summary>
[GenerateSerializer]
[Alias("ripcord.views.case-summary")]
public sealed record CaseSummary
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
}
