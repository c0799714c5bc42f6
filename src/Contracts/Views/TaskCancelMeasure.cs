namespace Ripcord.Contracts;

/// <summary>How fast one task's cancel went. Null when the step did not happen (no ack: the task was fenced).</summary>
public sealed record TaskCancelMeasure
{
    public required string TaskId { get; init; }

    public double SignalLatencySeconds { get; init; }

    public double? AckLatencySeconds { get; init; }

    public bool Fenced { get; init; }

    public long TokensSaved { get; init; }

    public double GpuSecondsSaved { get; init; }
}
