namespace Ripcord.Grains.Outbox;

/// <summary>Outbox payload (<see cref="OutboxTopics.AgentKill"/>): call the kill hook of the agent holding a task.</summary>
[GenerateSerializer]
[Alias("ripcord.outbox.agent-kill-request")]
public sealed record AgentKillRequest([property: Id(0)] string CaseId, [property: Id(1)] string TaskId, [property: Id(2)] string? AgentId, [property: Id(3)] string Url, [property: Id(4)] string? Reason);
