namespace Ripcord.Grains;

/// <summary>Reminder of the case grain: the confirmation hold of the cancel requested at <see cref="RequestedAt"/> ended.</summary>
public sealed record CancelHoldExpired(DateTimeOffset RequestedAt);
