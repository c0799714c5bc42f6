using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>Per-case overrides of a process's <see cref="CancelSettings"/> (the <c>cancel</c> field of a start request). Null keeps the process value.</summary>
[GenerateSerializer]
[Alias("ripcord.definitions.cancel-overrides")]
public sealed record CancelOverrides
{
    [Id(0)]
    public double? AckTimeoutSeconds { get; init; }

    [Id(1)]
    public double? GracePeriodSeconds { get; init; }

    [Id(2)]
    public double? HoldSeconds { get; init; }

    [Id(3)]
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
