namespace Ripcord.Contracts.Cases;

/// <summary>Reminder of the case grain: the confirmation hold of the cancel requested at <see cref="RequestedAt"/> ended.</summary>
[GenerateSerializer]
[Alias("ripcord.cases.cancel-hold-expired")]
public sealed record CancelHoldExpired([property: Id(0)] DateTimeOffset RequestedAt);
