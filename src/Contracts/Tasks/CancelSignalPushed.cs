namespace Ripcord.Contracts.Tasks;

/// <summary>
/// The silo wrote the task's cancel signal to the signal stream of agent <see cref="AgentId"/> (one-way), at
/// <see cref="PushedAt"/> on its clock (null from silos of an earlier release: the task grain's time of applying it).
/// </summary>
[GenerateSerializer]
[Alias("ripcord.tasks.cancel-signal-pushed")]
public sealed record CancelSignalPushed([property: Id(0)] string AgentId, [property: Id(1)] DateTimeOffset? PushedAt = null);
