using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>
/// The cancel behaviour of a case: the <c>cancel</c> block of a process definition, with per-case overrides applied.
/// Every property documents its default; a property missing from JSON keeps it.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.definitions.cancel-settings")]
public sealed record CancelSettings
{
    /// <summary>The default escalation ladder: re-emit after 1 ack timeout, fence after 2, alert and kill after 3.</summary>
    public static readonly ImmutableArray<EscalationStep> DefaultEscalation =
    [
        new EscalationStep { AfterAckTimeouts = 1, Action = EscalationAction.Reemit },
        new EscalationStep { AfterAckTimeouts = 2, Action = EscalationAction.Fence },
        new EscalationStep { AfterAckTimeouts = 3, Action = EscalationAction.Alert },
    ];

    /// <summary>The defaults; declared after <see cref="DefaultEscalation"/> because static fields initialize in order.</summary>
    public static readonly CancelSettings Default = new();

    /// <summary>Seconds to wait for a cancel acknowledgement before each rung of the ladder counts. Default 5.</summary>
    [Id(0)]
    public double AckTimeoutSeconds { get; init; } = 5;

    /// <summary>Seconds a standard cancel leaves agents to stop cleanly before they are fenced. Default 10.</summary>
    [Id(1)]
    public double GracePeriodSeconds { get; init; } = 10;

    /// <summary>Confirmation hold of a Cancel Case in seconds; 0 (the default) executes at once.</summary>
    [Id(2)]
    public double HoldSeconds { get; init; }

    /// <summary>The escalation ladder, ordered by <see cref="EscalationStep.AfterAckTimeouts"/>. Default <see cref="DefaultEscalation"/>.</summary>
    [Id(3)]
    public ImmutableArray<EscalationStep> Escalation { get; init; } = DefaultEscalation;

    /// <summary>Faults of these settings, empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(AckTimeoutSeconds > 0) || double.IsInfinity(AckTimeoutSeconds))
        {
            yield return $"cancel.ackTimeoutSeconds must be a positive number, not {AckTimeoutSeconds}";
        }

        if (!(GracePeriodSeconds >= 0) || double.IsInfinity(GracePeriodSeconds))
        {
            yield return $"cancel.gracePeriodSeconds must be zero or positive, not {GracePeriodSeconds}";
        }

        if (!(HoldSeconds >= 0) || double.IsInfinity(HoldSeconds))
        {
            yield return $"cancel.holdSeconds must be zero or positive, not {HoldSeconds}";
        }

        if (Escalation.IsDefaultOrEmpty)
        {
            yield return "cancel.escalation must have at least one step";
            yield break;
        }

        var previous = 0.0;
        var fences = 0;
        for (var i = 0; i < Escalation.Length; i++)
        {
            var step = Escalation[i];
            if (step is null)
            {
                yield return $"cancel.escalation[{i}] is null";
                continue;
            }

            if (!(step.AfterAckTimeouts > previous) || double.IsInfinity(step.AfterAckTimeouts))
            {
                yield return $"cancel.escalation[{i}].afterAckTimeouts must be greater than {previous}, not {step.AfterAckTimeouts}";
            }
            else
            {
                previous = step.AfterAckTimeouts;
            }

            if (step.Action == EscalationAction.Fence)
            {
                fences++;
            }
        }

        // Without a fence an agent that never answers would keep its task cancelling forever.
        if (fences != 1)
        {
            yield return $"cancel.escalation must have exactly one fence step, not {fences}";
        }
    }
}
