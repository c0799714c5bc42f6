using Ripcord.Contracts;

namespace Ripcord.Contracts.Tests;

public sealed class CancellationMetricsTests
{
    [Fact]
    public void Aggregate_SeveralCases_SumsAndRates()
    {
        CaseMeasures[] cases =
        [
            new()
            {
                Tasks = [new TaskCancelMeasure { TaskId = "a", SignalLatencySeconds = 1, AckLatencySeconds = 3 }, new TaskCancelMeasure { TaskId = "b", SignalLatencySeconds = 3, Fenced = true }],
                TimeToFullTerminationSeconds = 10,
                TokensSaved = 700,
                GpuSecondsSaved = 4.5,
                ResourcesReleased = 3,
                ResourcesOrphaned = 1,
                CaseCancels = 1,
            },
            new() { CaseCancels = 1, FalseCancellations = 1, RefusedCancels = 2 },
            new() { CompletedViaFallback = true, OutputRating = 4 },
            new() { CompletedViaFallback = true, OutputRating = 2 },
            new() { CompletedViaFallback = false, OutputRating = 5 },
        ];

        var metrics = CancellationMetrics.Aggregate(cases);

        Assert.Equal(5, metrics.Cases);
        Assert.Equal(2, metrics.FallbackRatings);
        Assert.Equal(3, metrics.MeanFallbackRating);
        Assert.Equal(2, metrics.CancelledTasks);
        Assert.Equal(2, metrics.MeanSignalLatencySeconds);
        Assert.Equal(3, metrics.MeanAckLatencySeconds);
        Assert.Equal(1, metrics.FencedTasks);
        Assert.Equal(10, metrics.MeanTimeToFullTerminationSeconds);
        Assert.Equal(700, metrics.TokensSaved);
        Assert.Equal(0.25, metrics.OrphanedResourceRate);
        Assert.Equal(0.5, metrics.FalseCancellationRate);
        Assert.Equal(2, metrics.RefusedCancels);
    }

    [Fact]
    public void Aggregate_NoCases_RatesAreNull()
    {
        var metrics = CancellationMetrics.Aggregate([]);

        Assert.Equal(0, metrics.Cases);
        Assert.Null(metrics.OrphanedResourceRate);
        Assert.Null(metrics.FalseCancellationRate);
        Assert.Null(metrics.MeanSignalLatencySeconds);
    }
}
