using Ripcord.Contracts;

namespace Ripcord.Grains.Storage;

/// <summary>A history event waiting in a grain's outbox, with the id that makes its append idempotent (<c>{grain key}#{seq}</c>).</summary>
public sealed record PendingHistoryEvent(string EventId, HistoryEvent Event);
