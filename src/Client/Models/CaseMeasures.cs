namespace Ripcord.Client.Models;

/// <summary>How a case's cancellation went: latencies, compute saved and resources released.</summary>
public sealed record CaseMeasures
{
    /// <summary>Per cancelled task: signal and acknowledgement latencies.</summary>
    public IReadOnlyList<TaskCancelMeasure> Tasks { get; init; } = [];

    /// <summary>From the cancel request to the case's terminal status, once reached.</summary>
    public double? TimeToFullTerminationSeconds { get; init; }

    /// <summary>Estimated tokens not spent thanks to cancels.</summary>
    public long TokensSaved { get; init; }

    /// <summary>Estimated GPU seconds not spent thanks to cancels.</summary>
    public double GpuSecondsSaved { get; init; }

    /// <summary>Resources the registry released.</summary>
    public int ResourcesReleased { get; init; }

    /// <summary>Resources declared orphaned after failed releases.</summary>
    public int ResourcesOrphaned { get; init; }

    /// <summary>Cancels withdrawn during their hold.</summary>
    public int FalseCancellations { get; init; }

    /// <summary>Cancels refused for lack of rights.</summary>
    public int RefusedCancels { get; init; }
}
