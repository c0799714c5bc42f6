namespace Ripcord.Contracts;

/// <summary>
/// A message from one grain's outbox to another grain. <see cref="Sender"/> and <see cref="Sequence"/> are its id:
/// a sender numbers its entries in commit order and delivers them to one receiver in that order, so a receiver
/// applies a sequence at or below the last one it applied from that sender never again. Mail and every message are
/// immutable records: Orleans passes them to a grain on the same silo without copying them.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ripcord.mail")]
public sealed record Mail([property: Id(0)] string Sender, [property: Id(1)] long Sequence, [property: Id(2)] object Message);
