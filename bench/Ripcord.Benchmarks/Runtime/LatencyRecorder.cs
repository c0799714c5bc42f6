namespace Ripcord.Benchmarks.Runtime;

/// <summary>Collects latencies and lets the driver wait for each one.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _microseconds = [];
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Arm() => Volatile.Write(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Record(TimeSpan latency)
    {
        lock (_microseconds)
        {
            _microseconds.Add(latency.TotalMicroseconds);
        }

        Volatile.Read(ref _next).TrySetResult();
    }

    public void Clear()
    {
        lock (_microseconds)
        {
            _microseconds.Clear();
        }
    }

    public (double P50, double P99, double Mean) Summary()
    {
        lock (_microseconds)
        {
            var sorted = _microseconds.Order().ToArray();
            return (Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Average());
        }
    }

    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
