using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Outbox payload (<see cref="OutboxTopics.TaskCancelSignal"/>): push this cancel to the agent holding the task.</summary>
public sealed record CancelSignalNotice(string CaseId, string TaskId, string? AgentId, CancelMode Mode, string? Reason, DateTimeOffset Deadline, int EscalationLevel);
