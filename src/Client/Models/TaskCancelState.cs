namespace Ripcord.Client.Models;

/// <summary>Where a task stands in its cancellation.</summary>
public sealed record TaskCancelState
{
    /// <summary>Standard or force.</summary>
    public CancelMode Mode { get; init; }

    /// <summary>Why the task is being cancelled.</summary>
    public string? Reason { get; init; }

    /// <summary>Who asked (a principal, or <c>system</c> for timeouts and case cancels).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>When the task was asked to stop.</summary>
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>When the cancel signal was committed (durable).</summary>
    public DateTimeOffset? SignalledAt { get; init; }

    /// <summary>When the agent first received the signal.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>When the engine stops waiting for the acknowledgement.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>When the agent acknowledged; <see langword="null"/> while it has not.</summary>
    public DateTimeOffset? AckedAt { get; init; }

    /// <summary>0 while the signal is fresh; rises each time the engine escalates an agent that does not answer.</summary>
    public int EscalationLevel { get; init; }

    /// <summary>Whether the task's lease was revoked: later calls from its agent are rejected and recorded as late.</summary>
    public bool Fenced { get; init; }
}
