namespace Ripcord.Contracts.Tasks;

/// <summary>Reminder of the task grain: the checkpoint wait of the cancel signalled at <see cref="SignalledAt"/> ran out.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.checkpoint-wait-ended")]
public sealed record CheckpointWaitEnded([property: Id(0)] DateTimeOffset SignalledAt);
