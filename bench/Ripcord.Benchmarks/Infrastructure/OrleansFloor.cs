using System.Diagnostics;
using Ripcord.Benchmarks.Hop;

namespace Ripcord.Benchmarks.Infrastructure;

internal static class OrleansFloor
{
    /// <summary>A bare grain call on a silo: its grain factory calls the empty method of a warm grain, <paramref name="count"/> times after <paramref name="warmup"/>.</summary>
    public static async Task<Samples> MeasureAsync(IGrainFactory grains, int warmup, int count)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var samples = new Samples("floor: bare Orleans grain call (the silo's grain factory -> a warm grain, empty method)");
        var grain = grains.GetGrain<IFloorGrain>("orleans-floor");
        for (var i = 0; i < warmup + count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await grain.Ping();
            if (i >= warmup)
            {
                samples.Add(t, Stopwatch.GetTimestamp());
            }
        }

        return samples;
    }
}
