namespace Ripcord.Grains;

/// <summary>Answer to <see cref="Heartbeat"/>: <see cref="CommandStatus.Ok"/> with a pending cancel or none, or <see cref="CommandStatus.LeaseLost"/>.</summary>
public sealed record HeartbeatResult(CommandStatus Status, CancelSignal? Cancel, string? Error = null);
