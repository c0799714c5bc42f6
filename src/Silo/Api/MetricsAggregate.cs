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
    public MetricsView ToView(DateTimeOffset at)
    {
        var totals = CancellationMetrics.Aggregate(_measures);
        return new MetricsView(
            at,
            totals.Cases,
            _byStatus.ToDictionary(p => ApiNames.Of(p.Key), p => p.Value),
            Summary(_signalLatency),
            Summary(_ackLatency),
            Summary(_termination),
            new ComputeSaved(totals.TokensSaved, totals.GpuSecondsSaved, totals.CancelledTasks),
            new OrphanedResources(totals.ResourcesOrphaned, totals.ResourcesReleased, totals.OrphanedResourceRate ?? 0),
            new FalseCancellations(totals.FalseCancellations, _holds, totals.FalseCancellationRate ?? 0),
            totals.CaseCancels,
            totals.RefusedCancels,
            new Escalations(totals.FencedTasks),
            new FallbackOutputRating(totals.FallbackRatings, totals.MeanFallbackRating));
    }

    private static LatencySummary Summary(List<double> values)
    {
        if (values.Count == 0)
        {
            return new LatencySummary(0, null, null, null);
        }

        values.Sort();
        return new LatencySummary(values.Count, Percentile(values, 0.50), Percentile(values, 0.99), values.Average());
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
