namespace Ripcord.Contracts.Tasks;

/// <summary>What a task needs from its case's definition: lease timing, cancel ladder and release retries.</summary>
[GenerateSerializer]
[Alias("ripcord.tasks.task-settings")]
public sealed record TaskSettings
{
    public static readonly TaskSettings Default = new();

    [Id(0)]
    public double HeartbeatSeconds { get; init; } = ProcessDefinition.DefaultHeartbeatSeconds;

    [Id(1)]
    public double LeaseSeconds { get; init; } = ProcessDefinition.DefaultHeartbeatSeconds * ProcessDefinition.DefaultMissedHeartbeats;

    [Id(2)]
    public CancelSettings Cancel { get; init; } = CancelSettings.Default;

    [Id(3)]
    public ReleaseSettings Release { get; init; } = ReleaseSettings.Default;
}
