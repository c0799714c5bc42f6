namespace Ripcord.Client.Sse;

/// <summary>One dispatched server-sent event.</summary>
/// <param name="EventType">The <c>event:</c> field, or <c>message</c> when absent.</param>
/// <param name="Data">The <c>data:</c> lines joined with line feeds.</param>
/// <param name="LastEventId">The last event id in force when the event was dispatched, if any.</param>
internal sealed record SseEvent(string EventType, string Data, string? LastEventId);
