using System.Collections.Immutable;

namespace Ripcord.Contracts;

/// <summary>
/// The seed metrics of one case. Latencies are seconds; compute saved is each cancelled task's estimate minus
/// its usage when it stopped (never negative, and only where the agent sent an estimate).
/// </summary>
[GenerateSerializer]
[Alias("ripcord.views.case-measures")]
public sealed record CaseMeasures
{
    public static readonly CaseMeasures Empty = new();

    /// <summary>Per cancelled task: request -> signal committed, and -> acknowledged.</summary>
    [Id(0)]
    public ImmutableArray<TaskCancelMeasure> Tasks { get; init; } = [];

    /// <summary>Cancel Case executed -> case cancelled (every task terminal, every resource settled).</summary>
    [Id(1)]
    public double? TimeToFullTerminationSeconds { get; init; }

    [Id(2)]
    public long TokensSaved { get; init; }

    [Id(3)]
    public double GpuSecondsSaved { get; init; }

    [Id(4)]
    public int ResourcesReleased { get; init; }

    [Id(5)]
    public int ResourcesOrphaned { get; init; }

    /// <summary>Cancel Case requests accepted on a running case (held or carried out): the base of the false cancellation rate.</summary>
    [Id(6)]
    public int CaseCancels { get; init; }

    /// <summary>Cancels withdrawn during their confirmation hold.</summary>
    [Id(7)]
    public int FalseCancellations { get; init; }

    /// <summary>True when the case completed with output that came through an <c>onCancel</c> fallback.</summary>
    [Id(8)]
    public bool CompletedViaFallback { get; init; }

    /// <summary>The latest user rating of the case's output, 1 to 5 (cancel path output quality when via a fallback).</summary>
    [Id(9)]
    public int? OutputRating { get; init; }

    /// <summary>Cancel requests refused for lack of rights.</summary>
    [Id(10)]
    public int RefusedCancels { get; init; }

    /// <summary>The latest refused cancel: the case's administrators are alerted to it.</summary>
    [Id(11)]
    public CancelRefusal? LastRefusedCancel { get; init; }
}
