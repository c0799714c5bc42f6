namespace Ripcord.Grains;

/// <summary>Outbox payload (<see cref="OutboxTopics.TaskReady"/>): a task waits for an agent of type <see cref="Agent"/>.</summary>
public sealed record TaskReadyNotice(string CaseId, string TaskId, string Agent, int Attempt);
