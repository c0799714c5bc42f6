namespace Ripcord.Contracts;

/// <summary>
/// A rung of the escalation ladder: <see cref="Action"/> happens when no acknowledgement came
/// <see cref="AfterAckTimeouts"/> ack timeouts after the cancel signal was committed.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.definitions.escalation-step")]
public sealed record EscalationStep
{
    [Id(0)]
    public double AfterAckTimeouts { get; init; }

    [Id(1)]
    public EscalationAction Action { get; init; }
}
