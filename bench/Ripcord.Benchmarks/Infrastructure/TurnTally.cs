using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ripcord.Contracts;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// Diagnostics (<c>--turns</c>): an incoming grain call filter that tallies, per grain class and call (a method, or
/// for a mail the message's type), how many calls there were and how long each took from entering the grain until its
/// turn was done. Only while <see cref="Enabled"/>.
/// </summary>
internal sealed class TurnTally : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Grain, string Call), Tally> _tallies = new();

    public bool Enabled { get; set; }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Enabled)
        {
            await context.Invoke();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            var call = context.Request.GetArgumentCount() == 1 && context.Request.GetArgument(0) is Mail mail ? $"Deliver({mail.Message.GetType().Name})" : context.MethodName;
            var tally = _tallies.GetOrAdd((context.Grain?.GetType().Name ?? context.InterfaceName, call), _ => new Tally());
            tally.Add(elapsed);
        }
    }

    public void Clear() => _tallies.Clear();

    /// <summary>Table rows: grain, call, calls, total ms, mean µs, max µs; the costliest first.</summary>
    public IEnumerable<string[]> Rows(int runs) => _tallies
        .OrderByDescending(t => t.Value.Total)
        .Select(t => new[]
        {
            t.Key.Grain,
            t.Key.Call,
            (t.Value.Count / (double)Math.Max(1, runs)).ToString("F1", CultureInfo.InvariantCulture),
            (t.Value.Total / 1000 / Math.Max(1, runs)).ToString("F1", CultureInfo.InvariantCulture),
            (t.Value.Total / Math.Max(1, t.Value.Count)).ToString("F0", CultureInfo.InvariantCulture),
            t.Value.Max.ToString("F0", CultureInfo.InvariantCulture),
        });

    public static readonly string[] Header = ["grain", "call", "calls per run", "ms per run (sum)", "mean µs", "max µs"];

    private sealed class Tally
    {
        private readonly Lock _gate = new();

        public long Count { get; private set; }

        public double Total { get; private set; }

        public double Max { get; private set; }

        public void Add(double micros)
        {
            lock (_gate)
            {
                Count++;
                Total += micros;
                Max = Math.Max(Max, micros);
            }
        }
    }
}
