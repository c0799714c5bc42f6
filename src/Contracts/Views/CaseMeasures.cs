using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>
/// The seed metrics of one case. Latencies are seconds; compute saved is each cancelled task's estimate minus
/// its usage when it stopped (never negative, and only where the agent sent an estimate).
/// </summary>
public sealed record CaseMeasures
{
    public static readonly CaseMeasures Empty = new();

    /// <summary>Per cancelled task: request -> signal committed, and -> acknowledged.</summary>
    public ImmutableArray<TaskCancelMeasure> Tasks { get; init; } = [];

    /// <summary>Cancel Case executed -> case cancelled (every task terminal, every resource settled).</summary>
    public double? TimeToFullTerminationSeconds { get; init; }

    public long TokensSaved { get; init; }

    public double GpuSecondsSaved { get; init; }

    public int ResourcesReleased { get; init; }

    public int ResourcesOrphaned { get; init; }

    /// <summary>Cancel Case requests accepted on a running case (held or carried out): the base of the false cancellation rate.</summary>
    public int CaseCancels { get; init; }

    /// <summary>Cancels withdrawn during their confirmation hold.</summary>
    public int FalseCancellations { get; init; }

    /// <summary>True when the case completed with output that came through an <c>onCancel</c> fallback.</summary>
    public bool CompletedViaFallback { get; init; }

    /// <summary>The latest user rating of the case's output, 1 to 5 (cancel path output quality when via a fallback).</summary>
    public int? OutputRating { get; init; }

    /// <summary>Cancel requests refused for lack of rights.</summary>
    public int RefusedCancels { get; init; }
}
