using Ripcord.Contracts;

namespace Ripcord.Grains;

/// <summary>What a task needs from its case's definition: lease timing, cancel ladder and release retries.</summary>
public sealed record TaskSettings
{
    public static readonly TaskSettings Default = new();

    public double HeartbeatSeconds { get; init; } = ProcessDefinition.DefaultHeartbeatSeconds;

    public double LeaseSeconds { get; init; } = ProcessDefinition.DefaultHeartbeatSeconds * ProcessDefinition.DefaultMissedHeartbeats;

    public CancelSettings Cancel { get; init; } = CancelSettings.Default;

    public ReleaseSettings Release { get; init; } = ReleaseSettings.Default;
}
