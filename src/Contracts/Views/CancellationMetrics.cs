namespace Ripcord.Contracts;

/// <summary>
/// The seed metrics over many cases (the body of <c>GET /api/v1/metrics</c>). Rates are fractions in [0, 1] and
/// null when there is nothing to divide by.
/// </summary>
[GenerateSerializer]
[Alias("ripcord.views.cancellation-metrics")]
public sealed record CancellationMetrics
{
    [Id(0)]
    public int Cases { get; init; }

    /// <summary>Tasks that went through a cancel (Cancel Activity, Cancel Case, timeout or wind-down).</summary>
    [Id(1)]
    public int CancelledTasks { get; init; }

    [Id(2)]
    public double? MeanSignalLatencySeconds { get; init; }

    [Id(3)]
    public double? MeanAckLatencySeconds { get; init; }

    [Id(4)]
    public int FencedTasks { get; init; }

    [Id(5)]
    public double? MeanTimeToFullTerminationSeconds { get; init; }

    [Id(6)]
    public long TokensSaved { get; init; }

    [Id(7)]
    public double GpuSecondsSaved { get; init; }

    [Id(8)]
    public int ResourcesReleased { get; init; }

    [Id(9)]
    public int ResourcesOrphaned { get; init; }

    /// <summary>Orphaned resources over resources the registries settled.</summary>
    [Id(10)]
    public double? OrphanedResourceRate { get; init; }

    [Id(11)]
    public int CaseCancels { get; init; }

    [Id(12)]
    public int FalseCancellations { get; init; }

    /// <summary>False cancellations over Cancel Case requests.</summary>
    [Id(13)]
    public double? FalseCancellationRate { get; init; }

    [Id(14)]
    public int RefusedCancels { get; init; }

    /// <summary>Cases completed through a fallback whose output was rated.</summary>
    [Id(15)]
    public int FallbackRatings { get; init; }

    /// <summary>Mean user rating (1 to 5) of outputs delivered through a fallback: the cancel path's output quality.</summary>
    [Id(16)]
    public double? MeanFallbackRating { get; init; }

    public static CancellationMetrics Aggregate(IEnumerable<CaseMeasures> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        int count = 0, fenced = 0, released = 0, orphaned = 0, caseCancels = 0, falseCancels = 0, refused = 0, terminations = 0;
        double signalSum = 0, ackSum = 0, terminationSum = 0, gpu = 0;
        int tasks = 0, acks = 0, ratings = 0;
        double ratingSum = 0;
        long tokens = 0;
        foreach (var measures in cases)
        {
            count++;
            foreach (var task in measures.Tasks)
            {
                tasks++;
                signalSum += task.SignalLatencySeconds;
                if (task.AckLatencySeconds is { } ack)
                {
                    acks++;
                    ackSum += ack;
                }

                fenced += task.Fenced ? 1 : 0;
            }

            if (measures.TimeToFullTerminationSeconds is { } termination)
            {
                terminations++;
                terminationSum += termination;
            }

            tokens += measures.TokensSaved;
            gpu += measures.GpuSecondsSaved;
            released += measures.ResourcesReleased;
            orphaned += measures.ResourcesOrphaned;
            caseCancels += measures.CaseCancels;
            falseCancels += measures.FalseCancellations;
            refused += measures.RefusedCancels;
            if (measures is { CompletedViaFallback: true, OutputRating: { } rating })
            {
                ratings++;
                ratingSum += rating;
            }
        }

        return new CancellationMetrics
        {
            Cases = count,
            CancelledTasks = tasks,
            MeanSignalLatencySeconds = tasks == 0 ? null : signalSum / tasks,
            MeanAckLatencySeconds = acks == 0 ? null : ackSum / acks,
            FencedTasks = fenced,
            MeanTimeToFullTerminationSeconds = terminations == 0 ? null : terminationSum / terminations,
            TokensSaved = tokens,
            GpuSecondsSaved = gpu,
            ResourcesReleased = released,
            ResourcesOrphaned = orphaned,
            OrphanedResourceRate = released + orphaned == 0 ? null : (double)orphaned / (released + orphaned),
            CaseCancels = caseCancels,
            FalseCancellations = falseCancels,
            FalseCancellationRate = caseCancels == 0 ? null : (double)falseCancels / caseCancels,
            RefusedCancels = refused,
            FallbackRatings = ratings,
            MeanFallbackRating = ratings == 0 ? null : ratingSum / ratings,
        };
    }
}
