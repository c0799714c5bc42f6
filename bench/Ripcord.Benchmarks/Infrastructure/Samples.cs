using System.Diagnostics;
using System.Globalization;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>Latency samples of one measurement, kept whole so percentiles are exact (nearest rank).</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> _micros = [];

    public string Name { get; } = name;

    public int Count => _micros.Count;

    /// <summary>Adds the time between two <see cref="Stopwatch.GetTimestamp"/> readings.</summary>
    public void Add(long startTimestamp, long endTimestamp) => _micros.Add(Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMicroseconds);

    public void Add(TimeSpan elapsed) => _micros.Add(elapsed.TotalMicroseconds);

    public void Clear() => _micros.Clear();

    public Summary Summarize()
    {
        if (_micros.Count == 0)
        {
            return new Summary(Name, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = _micros.ToArray();
        Array.Sort(sorted);
        return new Summary(Name, sorted.Length, sorted[0], Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    private static double Rank(double[] sorted, double fraction) => sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Percentiles of one measurement, in microseconds.</summary>
internal sealed record Summary(string Name, int Count, double Min, double P50, double P90, double P99, double Max, double Mean)
{
    /// <summary>A table row: name, samples, then p50/p90/p99/max/mean in milliseconds.</summary>
    public string[] MillisecondsRow() =>
        [Name, Count.ToString("N0", CultureInfo.InvariantCulture), Ms(P50), Ms(P90), Ms(P99), Ms(Max), Ms(Mean)];

    /// <summary>A table row: name, samples, then p50/p90/p99/max/mean in microseconds.</summary>
    public string[] MicrosecondsRow() =>
        [Name, Count.ToString("N0", CultureInfo.InvariantCulture), Us(P50), Us(P90), Us(P99), Us(Max), Us(Mean)];

    public static string Ms(double micros) => (micros / 1000).ToString("F3", CultureInfo.InvariantCulture);

    public static string Us(double micros) => micros.ToString("F0", CultureInfo.InvariantCulture);

    public static readonly string[] MillisecondsHeader = ["measurement", "samples", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms"];

    public static readonly string[] MicrosecondsHeader = ["measurement", "samples", "p50 µs", "p90 µs", "p99 µs", "max µs", "mean µs"];
}
