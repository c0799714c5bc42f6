using System.Text.Json;

namespace Ripcord.Client.Models;

/// <summary>
/// One entry of a case's append-only history: who did what, when and why. Returned in
/// <see cref="CaseDescription.History"/> and streamed by <see cref="CaseHandle.WatchAsync"/>.
/// </summary>
public sealed record CaseEvent
{
    /// <summary>Position in the case's history (1-based), when the server sends it.</summary>
    public long? Sequence { get; init; }

    /// <summary>When the event happened.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The case the event belongs to, when the server sends it.</summary>
    public string? CaseId { get; init; }

    /// <summary>A stable snake_case event type, e.g. <c>cancel_requested</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>The principal, agent or component that caused the event.</summary>
    public string? Actor { get; init; }

    /// <summary>Why it happened, when a reason was given.</summary>
    public string? Reason { get; init; }

    /// <summary>The task the event is about, if any.</summary>
    public string? TaskId { get; init; }

    /// <summary>Event-specific details.</summary>
    public JsonElement? Detail { get; init; }

    /// <summary>The server-sent-events id of the event when it came from a stream; used to resume after a drop.</summary>
    public string? StreamId { get; init; }
}
