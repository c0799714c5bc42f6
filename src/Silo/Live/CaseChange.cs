using Ripcord.Contracts;

namespace Ripcord.Silo.Live;

/// <summary>
/// One event of <c>GET /api/v1/events</c>: a case changed status (<c>event: case</c>), or a cancel on it was refused
/// for lack of rights (<c>event: alert</c>, with <see cref="Refusal"/>).
/// </summary>
public sealed record CaseChange(string CaseId, string Process, CaseStatus Status, string Type, CancelRefusal? Refusal = null);
