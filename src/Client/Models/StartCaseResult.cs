namespace Ripcord.Client.Models;

/// <summary>The answer to <c>POST /api/v1/cases</c>.</summary>
public sealed record StartCaseResult
{
    /// <summary>The case id (the one requested, or one the server chose).</summary>
    public string CaseId { get; init; } = string.Empty;

    /// <summary>The case's status.</summary>
    public CaseStatus Status { get; init; }

    /// <summary><see langword="true"/> when this call created the case (201); <see langword="false"/> when a case with that id already existed (200, idempotent start).</summary>
    public bool Created { get; init; }
}
