using Ripcord.Contracts;
using Ripcord.Grains.Cases;

namespace Ripcord.Silo.Api;

/// <summary>Folds every case's measures into the seed metrics of <c>GET /api/v1/metrics</c>.</summary>
internal sealed class MetricsAggregate
{
    private readonly List<double> _signalLatency = [];
    private readonly List<double> _ackLatency = [];
    private readonly List<double> _termination = [];
    private readonly Dictionary<CaseStatus, int> _byStatus = [];
    private long _tokensSaved;
    private double _gpuSecondsSaved;
    private int _released;
    private int _orphaned;
    private int _falseCancellations;
    private int _refused;
    private int _cancelRequests;
    private int _cancelledTasks;
    private int _fencedTasks;
    private int _cases;
    private int _holds;

    public void Add(CaseState state)
    {
        _cases++;
        _byStatus[state.Status] = _byStatus.GetValueOrDefault(state.Status) + 1;
        var m = state.Measures ?? CaseMeasures.Empty;
        foreach (var task in m.Tasks)
        {
            _cancelledTasks++;
            _signalLatency.Add(task.SignalLatencySeconds);
            if (task.AckLatencySeconds is { } ack)
            {
                _ackLatency.Add(ack);
            }

            if (task.Fenced)
            {
                _fencedTasks++;
            }
        }

        if (m.TimeToFullTerminationSeconds is { } termination)
        {
            _termination.Add(termination);
        }

        if (state.CancelRequest is { } request)
        {
            _cancelRequests++;
            if (request.HoldUntil is not null)
            {
                _holds++;
            }
        }

        _tokensSaved += m.TokensSaved;
        _gpuSecondsSaved += m.GpuSecondsSaved;
        _released += m.ResourcesReleased;
        _orphaned += m.ResourcesOrphaned;
        _falseCancellations += m.FalseCancellations;
        _refused += m.RefusedCancels;
    }

    /// <summary>Durations in seconds, rates as fractions (docs/dashboard.md shows the shape).</summary>
    public object ToView(DateTimeOffset at) => new
    {
        at,
        cases = _cases,
        casesByStatus = _byStatus.ToDictionary(p => System.Text.Json.JsonSerializer.Serialize(p.Key, RipcordJson.Options).Trim('"'), p => p.Value),
        cancelSignalLatency = Summary(_signalLatency),
        cancelAckLatency = Summary(_ackLatency),
        timeToFullTermination = Summary(_termination),
        computeSaved = new { tokens = _tokensSaved, gpuSeconds = _gpuSecondsSaved, cancellations = _cancelledTasks },
        orphanedResources = new
        {
            count = _orphaned,
            released = _released,
            rate = _released + _orphaned == 0 ? 0 : (double)_orphaned / (_released + _orphaned),
        },
        falseCancellations = new
        {
            count = _falseCancellations,
            holds = _holds,
            rate = _cancelRequests == 0 ? 0 : (double)_falseCancellations / _cancelRequests,
        },
        cancelRequests = _cancelRequests,
        refusedCancels = _refused,
        escalations = new { fenced = _fencedTasks },
    };

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
