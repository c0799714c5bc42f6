namespace Ripcord.Contracts.Tasks;

/// <summary>Answer to <see cref="Heartbeat"/>: <see cref="CommandStatus.Ok"/> with a pending cancel or none, or <see cref="CommandStatus.LeaseLost"/>.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.heartbeat-result")]
public sealed record HeartbeatResult([property: Id(0)] CommandStatus Status, [property: Id(1)] CancelSignal? Cancel, [property: Id(2)] string? Error = null);
