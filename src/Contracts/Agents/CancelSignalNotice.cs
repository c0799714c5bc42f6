namespace Ripcord.Contracts.Agents;

/// <summary>Outbox payload (topic <c>task-cancel-signal</c>): push this cancel to the agent holding the task.</summary>
[GenerateSerializer]
[Alias("ripcord.agents.cancel-signal-notice")]
public sealed record CancelSignalNotice([property: Id(0)] string CaseId, [property: Id(1)] string TaskId, [property: Id(2)] string? AgentId, [property: Id(3)] CancelMode Mode, [property: Id(4)] string? Reason, [property: Id(5)] DateTimeOffset Deadline, [property: Id(6)] int EscalationLevel);
