namespace Ripcord.Contracts;

/// <summary>The <c>cancel</c> object of a task: the signal, its acknowledgement and the escalation reached.</summary>
public sealed record TaskCancelView
{
    public CancelMode Mode { get; init; }

    public string? Reason { get; init; }

    public string? RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>When the signal was committed (durable) by the task.</summary>
    public DateTimeOffset? SignalledAt { get; init; }

    /// <summary>When the agent first received the signal (on a heartbeat).</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    public DateTimeOffset? AckedAt { get; init; }

    /// <summary>When a standard cancel forces the task if it has not stopped.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Rungs of the escalation ladder reached (0: none).</summary>
    public int EscalationLevel { get; init; }

    public bool Fenced { get; init; }
}
