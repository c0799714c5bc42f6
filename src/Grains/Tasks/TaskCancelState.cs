using Ripcord.Contracts;

namespace Ripcord.Grains.Tasks;

/// <summary>A task's cancel: the signal, its delivery and acknowledgement, and the escalation ladder's progress.</summary>
public sealed record TaskCancelState
{
    public CancelMode Mode { get; init; }

    public string? Reason { get; init; }

    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset SignalledAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public DateTimeOffset? AckedAt { get; init; }

    /// <summary>A standard cancel's grace deadline; for a force, the signal time.</summary>
    public DateTimeOffset Deadline { get; init; }

    /// <summary>Rungs of the ladder reached (1-based count of steps taken).</summary>
    public int EscalationLevel { get; init; }

    /// <summary>The next ladder step (0-based index into the escalation settings).</summary>
    public int NextStep { get; init; }

    public bool Fenced { get; init; }

    public DateTimeOffset? FencedAt { get; init; }

    /// <summary>An acknowledgement that came after the fence: the agent did stop, so no alert is raised.</summary>
    public DateTimeOffset? LateAckAt { get; init; }

    public bool Alerted { get; init; }

    /// <summary>When the node's fallback starts without waiting any longer for this task; null when it has no fallback route.</summary>
    public DateTimeOffset? FallbackDueAt { get; init; }

    /// <summary>Set once the checkpoint wait ran out and the case was told to start the fallback.</summary>
    public bool FallbackHandedOver { get; init; }

    /// <summary>The checkpoint sent with the acknowledgement, handed to the fallback.</summary>
    public System.Text.Json.JsonElement? Checkpoint { get; init; }
}
