namespace Ripcord.Client.Models;

/// <summary>One row of <c>GET /api/v1/cases</c>.</summary>
public sealed record CaseSummary
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
}
