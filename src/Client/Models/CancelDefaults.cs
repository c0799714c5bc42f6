namespace Ripcord.Client.Models;

/// <summary>Cancel settings of a process, or per-case overrides of them. Unset values keep the server's default.</summary>
public sealed record CancelDefaults
{
    /// <summary>How long the engine waits for an agent's acknowledgement before escalating.</summary>
    public double? AckTimeoutSeconds { get; init; }

    /// <summary>How long a standard cancel lets agents clean up before the task is forced.</summary>
    public double? GracePeriodSeconds { get; init; }

    /// <summary>The confirmation hold before a cancel runs; 0 means none.</summary>
    public double? HoldSeconds { get; init; }

    /// <summary>The escalation ladder for agents that do not acknowledge, ordered by <see cref="EscalationStep.AfterAckTimeouts"/>. Default: the server's (re-emit, fence, alert).</summary>
    public IReadOnlyList<EscalationStep>? Escalation { get; init; }
}
