namespace Ripcord.Contracts;

/// <summary>The <c>cancel</c> object of a task: the signal, its acknowledgement and the escalation reached.</summary>
[GenerateSerializer]
[Alias("ripcord.views.task-cancel-view")]
public sealed record TaskCancelView
{
    [Id(0)]
    public CancelMode Mode { get; init; }

    [Id(1)]
    public string? Reason { get; init; }

    [Id(2)]
    public string? RequestedBy { get; init; }

    [Id(3)]
    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>When the signal was committed (durable) by the task.</summary>
    [Id(4)]
    public DateTimeOffset? SignalledAt { get; init; }

    /// <summary>When the agent first received the signal (on a heartbeat).</summary>
    [Id(5)]
    public DateTimeOffset? DeliveredAt { get; init; }

    [Id(6)]
    public DateTimeOffset? AckedAt { get; init; }

    /// <summary>When a standard cancel forces the task if it has not stopped.</summary>
    [Id(7)]
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Rungs of the escalation ladder reached (0: none).</summary>
    [Id(8)]
    public int EscalationLevel { get; init; }

    [Id(9)]
    public bool Fenced { get; init; }

    /// <summary>For a task with an <c>onCancel</c> route: when its fallback starts if the task has not stopped by then.</summary>
    [Id(10)]
    public DateTimeOffset? FallbackDueAt { get; init; }
}
