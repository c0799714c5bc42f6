namespace Ripcord.Contracts;

/// <summary>One row of <c>GET /api/v1/cases</c>.</summary>
public sealed record CaseSummary
{
    public required string CaseId { get; init; }

    public required string Process { get; init; }

    public CaseStatus Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }
}
