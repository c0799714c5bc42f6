using Ripcord.Contracts;
using Ripcord.Grains.Storage;

namespace Ripcord.Silo.Api;

/// <summary>
/// The body of <c>GET /api/v1/metrics</c>: the domain's <see cref="CancellationMetrics"/> over every row of the case index, plus what a
/// dashboard needs beyond means (latency percentiles, cases by status, holds).
/// </summary>
internal sealed class MetricsAggregate
{
    private readonly List<CaseMeasures> _measures = [];
    private readonly List<double> _signalLatency = [];
    private readonly List<double> _ackLatency = [];
    private readonly List<double> _termination = [];
    private readonly Dictionary<CaseStatus, int> _byStatus = [];
    private int _holds;

    public void Add(CaseIndexEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _byStatus[row.Status] = _byStatus.GetValueOrDefault(row.Status) + 1;
        var m = row.Measures ?? CaseMeasures.Empty;
        _measures.Add(m);
        foreach (var task in m.Tasks)
        {
            _signalLatency.Add(task.SignalLatencySeconds);
            if (task.AckLatencySeconds is { } ack)
            {
                _ackLatency.Add(ack);
            }
        }

        if (m.TimeToFullTerminationSeconds is { } termination)
        {
            _termination.Add(termination);
        }

        if (row.HadHold)
        {
            _holds++;
        }
    }

    /// <summary>Durations in seconds, rates as fractions (docs/api.md shows the shape).</summary>
    public object ToView(DateTimeOffset at)
    {
        var totals = CancellationMetrics.Aggregate(_measures);
        return new
        {
            at,
            cases = totals.Cases,
            casesByStatus = _byStatus.ToDictionary(p => ApiNames.Of(p.Key), p => p.Value),
            cancelSignalLatency = Summary(_signalLatency),
            cancelAckLatency = Summary(_ackLatency),
            timeToFullTermination = Summary(_termination),
            computeSaved = new { tokens = totals.TokensSaved, gpuSeconds = totals.GpuSecondsSaved, cancellations = totals.CancelledTasks },
            orphanedResources = new { count = totals.ResourcesOrphaned, released = totals.ResourcesReleased, rate = totals.OrphanedResourceRate ?? 0 },
            falseCancellations = new { count = totals.FalseCancellations, holds = _holds, rate = totals.FalseCancellationRate ?? 0 },
            cancelRequests = totals.CaseCancels,
            refusedCancels = totals.RefusedCancels,
            escalations = new { fenced = totals.FencedTasks },
            fallbackOutputRating = new { count = totals.FallbackRatings, mean = totals.MeanFallbackRating },
        };
    }

    private static object Summary(List<double> values)
    {
        if (values.Count == 0)
        {
            return new { count = 0, p50 = (double?)null, p99 = (double?)null, mean = (double?)null };
        }

        values.Sort();
        return new
        {
            count = values.Count,
            p50 = (double?)Percentile(values, 0.50),
            p99 = (double?)Percentile(values, 0.99),
            mean = (double?)values.Average(),
        };
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
