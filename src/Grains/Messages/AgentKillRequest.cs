namespace Ripcord.Grains;

/// <summary>Outbox payload (<see cref="OutboxTopics.AgentKill"/>): call the kill hook of the agent holding a task.</summary>
public sealed record AgentKillRequest(string CaseId, string TaskId, string? AgentId, string Url, string? Reason);
