namespace Ripcord.Silo.Api;

// The body of GET /api/v1/metrics (docs/api.md "Metrics"): durations in seconds, rates as fractions.

/// <summary>The seed metrics over every case.</summary>
public sealed record MetricsView(
    DateTimeOffset At,
    int Cases,
    IReadOnlyDictionary<string, int> CasesByStatus,
    LatencySummary CancelSignalLatency,
    LatencySummary CancelAckLatency,
    LatencySummary TimeToFullTermination,
    ComputeSaved ComputeSaved,
    OrphanedResources OrphanedResources,
    FalseCancellations FalseCancellations,
    int CancelRequests,
    int RefusedCancels,
    Escalations Escalations,
    FallbackOutputRating FallbackOutputRating);

/// <summary>A latency distribution in seconds; the quantiles and mean are null when nothing was measured.</summary>
public sealed record LatencySummary(int Count, double? P50, double? P99, double? Mean);

/// <summary>The compute that cancels saved (estimate minus usage at the cancel), over the cancelled tasks.</summary>
public sealed record ComputeSaved(long Tokens, double GpuSeconds, int Cancellations);

/// <summary>Resources the registries could not release, over those they settled.</summary>
public sealed record OrphanedResources(int Count, int Released, double Rate);

/// <summary>Cancels withdrawn during a confirmation hold, over Cancel Case requests.</summary>
public sealed record FalseCancellations(int Count, int Holds, double Rate);

/// <summary>Tasks the escalation ladder fenced.</summary>
public sealed record Escalations(int Fenced);

/// <summary>Ratings of outputs delivered through a fallback: the cancel path's output quality.</summary>
public sealed record FallbackOutputRating(int Count, double? Mean);
