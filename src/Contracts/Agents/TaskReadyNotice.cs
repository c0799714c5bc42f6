namespace Ripcord.Contracts.Agents;

/// <summary>Outbox payload (topic <c>task-ready</c>): a task waits for an agent of type <see cref="Agent"/>.</summary>
[GenerateSerializer]
[Alias("ripcord.agents.task-ready-notice")]
public sealed record TaskReadyNotice([property: Id(0)] string CaseId, [property: Id(1)] string TaskId, [property: Id(2)] string Agent, [property: Id(3)] int Attempt);
