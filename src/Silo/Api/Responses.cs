using System.Collections.Immutable;
using System.Text.Json;
using Ripcord.Contracts;
using Ripcord.Contracts.Cases;
using Ripcord.Contracts.Tasks;

namespace Ripcord.Silo.Api;

// Response bodies of API.md, named so the OpenAPI document describes them. Positional parameters are required in it.

/// <summary>The answer to starting a case: <c>201</c> for a new case, <c>200</c> for the same <c>caseId</c> again.</summary>
public sealed record CaseStarted(string CaseId, CaseStatus Status);

/// <summary>A page of case summaries; <paramref name="Next"/> is the cursor of the next page, <paramref name="Counts"/> cover every case by status.</summary>
public sealed record CaseList(IEnumerable<CaseSummary> Cases, string? Next, IReadOnlyDictionary<string, int> Counts);

/// <summary>The answer to Cancel Case, confirm and override: <c>202</c> when it goes on, <c>200</c> with <paramref name="AlreadyClosed"/> when the case had ended.</summary>
public sealed record CaseCancelAnswer(bool AlreadyClosed, CaseStatus Status);

/// <summary>The answer to Cancel Activity: what happened to each named task.</summary>
public sealed record TaskCancelAnswer(bool AlreadyClosed, ImmutableArray<TaskCancelOutcome> Tasks);

/// <summary>A rating was recorded; <paramref name="ViaFallback"/> says whether the rated output came through a fallback.</summary>
public sealed record RatingAnswer(bool Accepted, bool ViaFallback);

/// <summary>An ended case's payloads were erased, at <paramref name="RedactedAt"/> by <paramref name="RedactedBy"/> (the first purge's, when repeated).</summary>
public sealed record CaseRedacted(DateTimeOffset RedactedAt, string RedactedBy);

/// <summary>Every registered process definition.</summary>
public sealed record ProcessList(IReadOnlyList<ProcessDefinition> Processes);

/// <summary>A task claimed by a poll, with the lease every later call about it carries.</summary>
public sealed record TaskGrant(string CaseId, string TaskId, string Agent, JsonElement? Input, JsonElement? Checkpoint, string LeaseToken, double HeartbeatSeconds, int Attempt);

/// <summary>A heartbeat's answer: the cancel the agent must act on, or null to go on.</summary>
public sealed record HeartbeatAnswer(CancelSignal? Cancel);

/// <summary>An agent's report (complete, cancel-ack, fail, resources) was accepted.</summary>
public sealed record ReportAccepted(bool Accepted);

/// <summary>The data of an agent stream's <c>cancel</c> event: a cancel for a task this agent holds.</summary>
public sealed record CancelSignalEvent(string CaseId, string TaskId, CancelMode Mode, string? Reason, DateTimeOffset Deadline, int EscalationLevel);

/// <summary>The data of the cluster-wide stream's <c>case</c> event: a case changed status.</summary>
public sealed record CaseChangeEvent(string CaseId, string Process, CaseStatus Status, string Type);

/// <summary>The data of the cluster-wide stream's <c>alert</c> event: <paramref name="Principal"/> was refused <paramref name="Action"/> on a case for lack of rights.</summary>
public sealed record CaseAlertEvent(string CaseId, string Process, CaseStatus Status, string Type, string Principal, string Action, DateTimeOffset At);
