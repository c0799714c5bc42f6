namespace Ripcord.Client.Models;

/// <summary>A cancel signal for a task, pushed on the agent's signal stream or returned by a heartbeat.</summary>
public sealed record CancelSignal
{
    /// <summary>The case of the task to stop (set on pushed signals).</summary>
    public string? CaseId { get; init; }

    /// <summary>The task to stop (set on pushed signals).</summary>
    public string? TaskId { get; init; }

    /// <summary>Standard (clean up within the deadline) or force (stop now).</summary>
    public CancelMode Mode { get; init; }

    /// <summary>Why the task is being cancelled.</summary>
    public string? Reason { get; init; }

    /// <summary>When the engine stops waiting for the acknowledgement and escalates.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>0 for the first signal; higher when the engine re-sends it to an agent that did not answer.</summary>
    public int EscalationLevel { get; init; }
}
