using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>Appends an event to the case's history.</summary>
public sealed record HistoryEffect(HistoryEvent Event) : Effect;
