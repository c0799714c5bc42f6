using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ripcord.Benchmarks.Infrastructure;

namespace Ripcord.Benchmarks.Suites;

/// <summary>
/// Task lifecycles per second on PostgreSQL: closed-loop workers each start a case of one task, claim it as its agent
/// and complete it, over HTTP, against a cluster of one silo and then of three (in this process, each a real silo
/// with Kestrel and its own Orleans ports, one schema). Beside the floors of the same run: PostgreSQL commits per
/// second at the same concurrency, a single commit's round trip, and a bare Orleans call.
/// </summary>
internal static class LifecycleSuite
{
    private const string Process = "bench-life";

    public static async Task RunAsync(Arguments args)
    {
        var seconds = args.Int("--seconds", 20);
        // Under this load on two cores the JIT needs a minute or two to tier the hot code up (see bench/README.md).
        var warmupSeconds = args.Int("--warmup-seconds", 90);
        var workers = args.Int("--workers", 32);
        var clusters = (args.Value("--silos") ?? "1,3").Split(',').Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--silos takes silo counts separated by commas (1,3), not '{v}'.")).ToArray();
        using var statements = args.Flag("--statements") ? new StatementTally() : null;
        var turns = args.Flag("--turns") ? new TurnTally() : null;
        using var jit = args.Flag("--jit") ? new JitTally() : null;
        await using var store = await BenchStore.StartAsync(args, defaultKind: "postgres");
        if (!store.IsPostgres)
        {
            throw new ArgumentException("lifecycle runs a cluster, which needs PostgreSQL: --store postgres.");
        }

        var report = new Report("lifecycle" + store.Suffix, "Task lifecycles per second (start, claim, complete), one silo and three, on PostgreSQL", args.Raw);
        var rows = new List<string[]>();
        var latencies = new List<string[]>();
        var perSecond = new Dictionary<int, double>();
        var costs = new List<string[]>();
        var diagnostics = new List<(int Silos, long Lifecycles, string[][] Statements, string[][] Turns, string[][] Jit)>();
        foreach (var silos in clusters)
        {
            Console.Error.WriteLine($"lifecycle: {silos} silo(s), {workers} workers, {warmupSeconds} s warm-up + {seconds} s");
            var (rate, done, latency, steps, failed, cpu) = await RunClusterAsync(store, silos, workers, warmupSeconds, seconds, statements, turns, jit);
            var lifecycles = Math.Max(1, done);
            if (statements is not null || turns is not null || jit is not null)
            {
                diagnostics.Add((silos, lifecycles, statements?.Rows(lifecycles).ToArray() ?? [], turns?.Rows((int)lifecycles).ToArray() ?? [], jit?.Rows(40).ToArray() ?? []));
                statements?.Clear();
                turns?.Clear();
                jit?.Clear();
            }

            perSecond[silos] = rate;
            costs.Add([
                $"{silos} silo{(silos == 1 ? "" : "s")}",
                Milliseconds(cpu.Process / lifecycles),
                Milliseconds(cpu.GcPause / lifecycles),
                (cpu.Allocated / lifecycles / 1024).ToString("N0", CultureInfo.InvariantCulture),
                Milliseconds(cpu.Postgres / lifecycles),
            ]);
            rows.Add([$"**Ripcord: lifecycles per second, {silos} silo{(silos == 1 ? "" : "s")}**", Rate(rate), failed.ToString(CultureInfo.InvariantCulture)]);
            latencies.Add([$"one lifecycle, {silos} silo{(silos == 1 ? "" : "s")}", .. latency.Summarize().MillisecondsRow()[1..]]);
            latencies.AddRange(steps.Select(s => s.Summarize().MillisecondsRow()));
        }

        Console.Error.WriteLine($"lifecycle: floors");
        var commits = await MeasureCommitsPerSecondAsync(store, workers, TimeSpan.FromSeconds(Math.Max(5, seconds / 2)));
        rows.Add([$"floor: PostgreSQL single-row `INSERT` + commit, {workers} connections at once, per second", Rate(commits), "0"]);
        var commit = await store.MeasureCommitAsync(200, 2000);
        Samples call;
        await using (var silo = await BenchSilo.StartAsync(store: store.NewClusterSettings()))
        {
            call = await OrleansFloor.MeasureAsync(silo.Services.GetRequiredService<IGrainFactory>(), 200, 2000);
        }

        report.Paragraph($$"""
            What is measured: {{workers}} workers in a closed loop, each: `POST /api/v1/cases` (a fresh case of one task),
            `POST /api/v1/agents/{id}/poll` as that task's agent (it gets a ready task of the process, not necessarily its
            own), `POST /api/v1/tasks/{case}/{task}/complete`; a lifecycle is counted when the complete is answered. Worker
            `w` sends its `i`-th iteration to silo `(w + i) mod n`. {{warmupSeconds}} s of warm-up, then {{seconds}} s
            counted. Every call is durable when answered: the case grain's start, the task grain's claim and its
            complete, then the case grain's turn for the task's end, each a write of grain state plus history and index
            rows. One silo, then three in a cluster (each a real silo as `src/Silo` runs it, in this process: Kestrel on a
            loopback port, its own Orleans silo and gateway ports, one PostgreSQL schema per cluster). Store:
            {{store.Describe()}}. Workers, silos and PostgreSQL share the machine's 2 cores.
            """);
        report.Table(["measurement", "per second", "failed calls"], rows);
        report.Paragraph("Latency of one lifecycle (start + claim + complete, answered), same runs:");
        report.Table(Summary.MillisecondsHeader, latencies);
        report.Paragraph("""
            CPU time per lifecycle in the counted seconds (what a lifecycle costs of the machine, which holds better than
            the rate when other work shares the cores): this process (silos, Kestrel, the workers' HTTP clients), and the
            PostgreSQL server (its backends), read from `/proc`; and this process's allocations and GC pauses:
            """);
        report.Table(["cluster", "process CPU ms", "GC pauses ms", "allocated KiB", "PostgreSQL CPU ms"], costs);
        report.Paragraph("Floors of single operations, same run:");
        report.Table(Summary.MillisecondsHeader, [commit.Summarize().MillisecondsRow(), call.Summarize().MillisecondsRow()]);
        if (perSecond.ContainsKey(1) && perSecond.ContainsKey(3))
        {
            report.Paragraph($"""
                Goals: >= 1,000 lifecycles per second on one silo: {Rate(perSecond[1])} ({CancelSuite.Verdict(perSecond[1] >= 1000)});
                more with three: {Rate(perSecond[3])} ({CancelSuite.Verdict(perSecond[3] > perSecond[1])}). At the same
                concurrency the machine commits {Rate(commits)} single-row transactions per second, so one lifecycle on one
                silo costs as much of the machine as {(commits / perSecond[1]).ToString("F0", CultureInfo.InvariantCulture)}
                of them: a lifecycle is four durable turns (start, claim, complete, the case's turn for the task's end),
                each a grain state write plus history and index rows, two activations, the recovery reminders registered
                and dropped, and the compaction writes, with the silo's own CPU on the same two cores. Three silos on one
                2-core machine share the cores one silo had to itself and add silo-to-silo calls over TCP; what three
                silos add is measured on three machines, not here.
                """);
        }
        else
        {
            report.Paragraph("Goals are judged on a run of one silo and of three (`--silos 1,3`, the default).");
        }
        foreach (var (silos, lifecycles, sent, called, compiled) in diagnostics)
        {
            report.Heading($"Diagnostics, {silos} silo{(silos == 1 ? "" : "s")}, {lifecycles:N0} lifecycles (with the listeners on, the rate is not comparable)");
            if (sent.Length > 0)
            {
                report.Paragraph("PostgreSQL commands sent per lifecycle (`--statements`, from Npgsql's activities):");
                report.Table(StatementTally.Header, sent);
            }

            if (called.Length > 0)
            {
                report.Paragraph("Grain calls per lifecycle (`--turns`):");
                report.Table(TurnTally.Header, called);
            }

            if (compiled.Length > 0)
            {
                report.Paragraph("Methods the JIT compiled in the counted seconds, the most compiled first (`--jit`):");
                report.Table(JitTally.Header, compiled);
            }
        }

        await report.PublishAsync(!args.Flag("--no-write"));
    }

    private static string Rate(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture);

    private static async Task<(double Rate, long Lifecycles, Samples Latency, Samples[] Steps, int Failed, CpuMeter.Reading Cpu)> RunClusterAsync(BenchStore store, int count, int workers, int warmupSeconds, int seconds, StatementTally? statements, TurnTally? turns, JitTally? jit)
    {
        var settings = store.NewClusterSettings();
        settings["Ripcord:Cluster:ClusterId"] = $"bench-life-{count}-{Guid.NewGuid():N}";
        var silos = new List<BenchSilo>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                silos.Add(await BenchSilo.StartAsync(builder =>
                {
                    if (turns is not null)
                    {
                        builder.Services.AddSingleton<IIncomingGrainCallFilter>(turns);
                    }
                }, settings));
            }

            await silos[0].RegisterProcessAsync(Process, $$"""{ "name": "{{Process}}", "heartbeatSeconds": 30, "nodes": [ { "id": "work", "agent": "{{Process}}" } ], "edges": [] }""");
            var latency = new Samples("lifecycle");
            var steps = new[] { new Samples($"  start (`POST /api/v1/cases`), {count} silo{(count == 1 ? "" : "s")}"), new Samples("  claim (`POST .../poll`)"), new Samples("  complete (`POST .../complete`)") };
            var completed = 0L;
            var failed = 0;
            var measuring = false;
            using var stop = new CancellationTokenSource();
            var loops = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var silo = silos[(w + i) % silos.Count];
                    var t = Stopwatch.GetTimestamp();
                    long started, claimed;
                    try
                    {
                        await silo.Admin.PostAsync("/api/v1/cases", new { process = Process, caseId = $"life-{count}-{w}-{i}" });
                        started = Stopwatch.GetTimestamp();
                        var task = await silo.Agent.PostAsync($"/api/v1/agents/life-{w}/poll", new { agents = new[] { Process }, waitSeconds = 5 });
                        if (task.ValueKind != JsonValueKind.Object)
                        {
                            continue;
                        }

                        claimed = Stopwatch.GetTimestamp();
                        await silo.Agent.PostAsync($"/api/v1/tasks/{task.Str("caseId")}/{task.Str("taskId")}/complete", new { leaseToken = task.Str("leaseToken"), output = new { w } });
                    }
                    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failed);
                        continue;
                    }

                    if (Volatile.Read(ref measuring))
                    {
                        Interlocked.Increment(ref completed);
                        var end = Stopwatch.GetTimestamp();
                        lock (latency)
                        {
                            latency.Add(t, end);
                            steps[0].Add(t, started);
                            steps[1].Add(started, claimed);
                            steps[2].Add(claimed, end);
                        }
                    }
                }
            })).ToArray();

            await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
            var cpuBefore = CpuMeter.Read(store.Postmaster);
            Volatile.Write(ref measuring, true);
            SetDiagnostics(true);
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            Volatile.Write(ref measuring, false);
            SetDiagnostics(false);
            var cpuAfter = CpuMeter.Read(store.Postmaster);
            var done = Interlocked.Read(ref completed);
            var elapsed = clock.Elapsed;
            await stop.CancelAsync();
            await Task.WhenAll(loops);

            void SetDiagnostics(bool on)
            {
                if (statements is not null)
                {
                    statements.Enabled = on;
                }

                if (turns is not null)
                {
                    turns.Enabled = on;
                }

                if (jit is not null)
                {
                    jit.Enabled = on;
                }
            }
            return (done / elapsed.TotalSeconds, done, latency, steps, failed, cpuAfter - cpuBefore);
        }
        finally
        {
            foreach (var silo in Enumerable.Reverse(silos))
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static async Task<double> MeasureCommitsPerSecondAsync(BenchStore store, int connections, TimeSpan duration)
    {
        var total = 0L;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            var done = await store.CommitUntilAsync(until);
            Interlocked.Add(ref total, done);
        }));
        return total / clock.Elapsed.TotalSeconds;
    }
}
