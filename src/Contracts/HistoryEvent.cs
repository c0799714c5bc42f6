using System.Text.Json;

namespace Ripcord.Contracts;

/// <summary>
/// One entry of a case's append-only history: who did what, when and why.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.contracts.history-event")]
public sealed record HistoryEvent
{
    /// <summary>
    /// The event types that are alerts for the case's administrators: a cancel refused for lack of rights, an agent
    /// that never acknowledged its cancel, a resource that could not be released. None of them pauses the case.
    /// </summary>
    public static readonly IReadOnlySet<string> AlertTypes = new HashSet<string>(StringComparer.Ordinal) { "cancel_refused", "agent_unresponsive_alert", "resource_release_alert" };

    /// <summary>Position in the case's history, assigned by the store when the turn commits (1-based, gap free per case).</summary>
    [Id(0)]
    public long Sequence { get; init; }

    /// <summary>When the event happened (the time of the turn that wrote it).</summary>
    [Id(1)]
    public DateTimeOffset At { get; init; }

    /// <summary>The case the event belongs to.</summary>
    [Id(2)]
    public required string CaseId { get; init; }

    /// <summary>A stable snake_case event type, e.g. <c>cancel_requested</c>.</summary>
    [Id(3)]
    public required string Type { get; init; }

    /// <summary>The principal, agent or component that caused the event (<c>system</c> for the engine itself).</summary>
    [Id(4)]
    public required string Actor { get; init; }

    /// <summary>Why it happened, when a reason was given.</summary>
    [Id(5)]
    public string? Reason { get; init; }

    /// <summary>The task the event is about, if any.</summary>
    [Id(6)]
    public string? TaskId { get; init; }

    /// <summary>Event-specific details.</summary>
    [Id(7)]
    public JsonElement? Detail { get; init; }
}
