namespace Ripcord.Contracts;

/// <summary>
/// A rung of the escalation ladder: <see cref="Action"/> happens when no acknowledgement came
/// <see cref="AfterAckTimeouts"/> ack timeouts after the cancel signal was committed.
/// </summary>
public sealed record EscalationStep
{
    public double AfterAckTimeouts { get; init; }

    public EscalationAction Action { get; init; }
}
