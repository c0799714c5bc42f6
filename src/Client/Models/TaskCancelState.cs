namespace Ripcord.Client.Models;

/// <summary>Where a task stands in its cancellation.</summary>
public sealed record TaskCancelState
{
    /// <summary>When the task was asked to stop.</summary>
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>When the agent acknowledged; <see langword="null"/> while it has not.</summary>
    public DateTimeOffset? AckedAt { get; init; }

    /// <summary>0 while the signal is fresh; rises each time the engine escalates an agent that does not answer.</summary>
    public int EscalationLevel { get; init; }

    /// <summary>Whether the task's lease was revoked: later calls from its agent are rejected and recorded as late.</summary>
    public bool Fenced { get; init; }
}
