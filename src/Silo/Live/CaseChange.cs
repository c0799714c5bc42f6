using Ripcord.Contracts;

namespace Ripcord.Silo.Live;

/// <summary>One event of <c>GET /api/v1/events</c>: a case changed status.</summary>
public sealed record CaseChange(string CaseId, string Process, CaseStatus Status, string Type);
