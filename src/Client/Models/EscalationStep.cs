namespace Ripcord.Client.Models;

/// <summary>A rung of the escalation ladder: <see cref="Action"/> happens when no acknowledgement came <see cref="AfterAckTimeouts"/> ack timeouts after the signal.</summary>
public sealed record EscalationStep
{
    /// <summary>How many ack timeouts after the signal this step fires.</summary>
    public double AfterAckTimeouts { get; init; }

    /// <summary><c>reemit</c> (send the signal again), <c>fence</c> (revoke the lease, release resources) or <c>alert</c> (record an alert, call the kill hook).</summary>
    public string Action { get; init; } = string.Empty;
}
