using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage.InMemory;

namespace Ripcord.Benchmarks.Runtime;

/// <summary>
/// Messages per second through the in-memory runtime (1 grain, 1,000 grains) and the latency of one grain-to-grain
/// hop, with a bare <see cref="Channel{T}"/> hop measured in the same run as the floor.
/// </summary>
internal static class RuntimeBenchmarks
{
    public static async Task RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
        var hops = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;

        Console.WriteLine($"# Runtime benchmarks ({Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();

        // Warm-up runs let tiered compilation settle; only the later runs are reported.
        await ThroughputAsync(1, messages / 10);
        await ThroughputAsync(1000, messages / 10);
        var one = await ThroughputAsync(1, messages);
        var many = await ThroughputAsync(1000, messages);
        Console.WriteLine("| scenario | messages | seconds | messages/s |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| 1 grain | {messages:N0} | {one.TotalSeconds:F2} | {messages / one.TotalSeconds:N0} |");
        Console.WriteLine($"| 1,000 grains | {messages:N0} | {many.TotalSeconds:F2} | {messages / many.TotalSeconds:N0} |");
        Console.WriteLine();

        await ChannelHopAsync(hops / 10);
        await GrainHopAsync(hops / 10);
        var floor = await ChannelHopAsync(hops);
        var hop = await GrainHopAsync(hops);
        Console.WriteLine("| hop | samples | p50 µs | p99 µs | mean µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| bare Channel<T> (floor) | {hops:N0} | {floor.P50:F1} | {floor.P99:F1} | {floor.Mean:F1} |");
        Console.WriteLine($"| grain to grain | {hops:N0} | {hop.P50:F1} | {hop.P99:F1} | {hop.Mean:F1} |");
        Console.WriteLine();
        Console.WriteLine($"Grain hop / floor: p50 {hop.P50 / floor.P50:F1}x, p99 {hop.P99 / floor.P99:F1}x.");
    }

    private static async Task<TimeSpan> ThroughputAsync(int grains, int messages)
    {
        var registry = new GrainTypeRegistry().Add("tick", new TickGrain());
        await using var runtime = new GrainRuntime(new InMemoryGrainStore(), registry, Options.Create(new RuntimeOptions { MaxMessagesPerTurn = 256 }));
        var handled = 0L;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.TurnCommitted += turn =>
        {
            if (Interlocked.Add(ref handled, turn.Handled) == messages)
            {
                done.TrySetResult();
            }
        };
        await runtime.StartAsync(CancellationToken.None);
        var ids = Enumerable.Range(0, grains).Select(i => GrainId.ForCase("tick", "bench-" + i)).ToArray();

        var started = Stopwatch.GetTimestamp();
        var producers = Environment.ProcessorCount;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = p; i < messages; i += producers)
            {
                await runtime.SendAsync(ids[i % grains], new Tick());
            }
        })));
        await done.Task;
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<(double P50, double P99, double Mean)> GrainHopAsync(int hops)
    {
        var recorder = new LatencyRecorder();
        var registry = new GrainTypeRegistry().Add("hop", new HopGrain(recorder));
        await using var runtime = new GrainRuntime(new InMemoryGrainStore(), registry, Options.Create(new RuntimeOptions()));
        await runtime.StartAsync(CancellationToken.None);
        var source = GrainId.InCase("hop", "bench", "a");
        for (var i = 0; i < hops; i++)
        {
            recorder.Arm();
            await runtime.SendAsync(source, new Hop(0, "b"));
            await recorder.Next;
        }

        return recorder.Summary();
    }

    private static async Task<(double P50, double P99, double Mean)> ChannelHopAsync(int hops)
    {
        var recorder = new LatencyRecorder();
        var channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(async () =>
        {
            await foreach (var startedAt in channel.Reader.ReadAllAsync())
            {
                recorder.Record(Stopwatch.GetElapsedTime(startedAt));
            }
        });
        for (var i = 0; i < hops; i++)
        {
            recorder.Arm();
            channel.Writer.TryWrite(Stopwatch.GetTimestamp());
            await recorder.Next;
        }

        channel.Writer.Complete();
        await reader;
        return recorder.Summary();
    }
}
