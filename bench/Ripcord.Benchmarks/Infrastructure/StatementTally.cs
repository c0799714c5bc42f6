using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// Diagnostics (<c>--statements</c>): listens to Npgsql's activity source and tallies the commands this process sent
/// to PostgreSQL, by their first words, while <see cref="Enabled"/>. Listening costs some CPU of its own, so a run
/// with it measures what a lifecycle sends, not how fast.
/// </summary>
internal sealed class StatementTally : IDisposable
{
    private readonly ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;

    public StatementTally()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public bool Enabled { get; set; }

    public void Dispose() => _listener.Dispose();

    public void Clear() => _tallies.Clear();

    /// <summary>Table rows: statement, per lifecycle, mean µs; the most frequent first.</summary>
    public IEnumerable<string[]> Rows(long lifecycles) => _tallies
        .OrderByDescending(t => t.Value.Count)
        .Select(t => new[]
        {
            $"`{t.Key}`",
            (t.Value.Count / (double)Math.Max(1, lifecycles)).ToString("F2", CultureInfo.InvariantCulture),
            (t.Value.Micros / Math.Max(1, t.Value.Count)).ToString("F0", CultureInfo.InvariantCulture),
        });

    public static readonly string[] Header = ["statement (first words)", "per lifecycle", "mean µs"];

    private void Stopped(Activity activity)
    {
        if (!Enabled)
        {
            return;
        }

        var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
        var tally = _tallies.GetOrAdd(Shorten(text), _ => new Tally());
        Interlocked.Increment(ref tally.Count);
        Interlocked.Add(ref tally.MicrosTotal, (long)activity.Duration.TotalMicroseconds);
    }

    private static string Shorten(string text)
    {
        var words = text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Take(6));
    }

    private sealed class Tally
    {
        public long Count;
        public long MicrosTotal;

        public double Micros => MicrosTotal;
    }
}
