namespace Ripcord.Contracts.Tasks;

/// <summary>The silo wrote the task's cancel signal to the signal stream of agent <see cref="AgentId"/> (one-way).</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.cancel-signal-pushed")]
public sealed record CancelSignalPushed([property: Id(0)] string AgentId);
