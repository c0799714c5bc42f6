using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>Per-case overrides of a process's <see cref="CancelSettings"/> (the <c>cancel</c> field of a start request). Null keeps the process value.</summary>
public sealed record CancelOverrides
{
    public double? AckTimeoutSeconds { get; init; }

    public double? GracePeriodSeconds { get; init; }

    public double? HoldSeconds { get; init; }

    public ImmutableArray<EscalationStep>? Escalation { get; init; }

    public CancelSettings ApplyTo(CancelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with
        {
            AckTimeoutSeconds = AckTimeoutSeconds ?? settings.AckTimeoutSeconds,
            GracePeriodSeconds = GracePeriodSeconds ?? settings.GracePeriodSeconds,
            HoldSeconds = HoldSeconds ?? settings.HoldSeconds,
            Escalation = Escalation ?? settings.Escalation,
        };
    }
}
