namespace Ripcord.Contracts;

/// <summary>How fast one task's cancel went. Null when the step did not happen (no ack: the task was fenced).</summary>
[GenerateSerializer]
[Alias("ripcord.views.task-cancel-measure")]
public sealed record TaskCancelMeasure
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public double SignalLatencySeconds { get; init; }

    [Id(2)]
    public double? AckLatencySeconds { get; init; }

    [Id(3)]
    public bool Fenced { get; init; }

    [Id(4)]
    public long TokensSaved { get; init; }

    [Id(5)]
    public double GpuSecondsSaved { get; init; }
}
