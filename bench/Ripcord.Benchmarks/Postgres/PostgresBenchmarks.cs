using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Ripcord.Benchmarks.Runtime;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Benchmarks.Postgres;

/// <summary>
/// The PostgreSQL store: latency of one durable grain-to-grain hop (within a silo and across two silos) against
/// the floor measured in the same run (a bare INSERT + NOTIFY, LISTEN, then a SKIP LOCKED claim that deletes the
/// row: two commits and a wake-up), and messages per second with 1 and 3 silos.
/// Arguments: [--connection "..."] [--hops N] [--messages N]. Without a connection string a private, durable
/// PostgreSQL (fsync and synchronous_commit on) is started from the machine's binaries.
/// </summary>
public static class PostgresBenchmarks
{
    private static bool Verbose { get; set; }

    public static async Task RunAsync(string[] args)
    {
        Verbose = args.Contains("--verbose");
        var connection = Option(args, "--connection");
        var hops = int.Parse(Option(args, "--hops") ?? "2000", CultureInfo.InvariantCulture);
        var messages = int.Parse(Option(args, "--messages") ?? "100000", CultureInfo.InvariantCulture);
        await using var server = connection is null ? await PostgresServer.StartAsync(durable: true) : null;
        connection ??= server!.ConnectionString;
        string version;
        await using (var dataSource = NpgsqlDataSource.Create(connection))
        await using (var command = dataSource.CreateCommand("SELECT current_setting('server_version') || ', fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')"))
        {
            version = (string)(await command.ExecuteScalarAsync())!;
        }

        Console.WriteLine($"# PostgreSQL store benchmarks ({Environment.ProcessorCount} cores, .NET {Environment.Version}, PostgreSQL {version}, {DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();

        // Warm-up runs (a tenth of the size) let tiered compilation and the server's caches settle; not reported.
        await FloorAsync(connection, hops / 10);
        await HopAsync(connection, hops / 10, silos: 1);
        var floor = await FloorAsync(connection, hops);
        var local = await HopAsync(connection, hops, silos: 1);
        var remote = await HopAsync(connection, hops, silos: 2);
        Console.WriteLine("| hop | samples | p50 µs | p99 µs | mean µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| floor: INSERT + NOTIFY -> LISTEN -> claim + commit | {hops:N0} | {floor.P50:F0} | {floor.P99:F0} | {floor.Mean:F0} |");
        Console.WriteLine($"| grain to grain, one silo | {hops:N0} | {local.P50:F0} | {local.P99:F0} | {local.Mean:F0} |");
        Console.WriteLine($"| grain to grain, across two silos | {hops:N0} | {remote.P50:F0} | {remote.P99:F0} | {remote.Mean:F0} |");
        Console.WriteLine();
        Console.WriteLine($"Hop / floor (p50): one silo {local.P50 / floor.P50:F2}x, across silos {remote.P50 / floor.P50:F2}x.");
        Console.WriteLine();

        await ThroughputAsync(connection, messages / 10, silos: 1, perTurn: 64);
        Console.WriteLine("| scenario | messages | seconds | messages/s | turns |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (silos, perTurn, count) in new[] { (1, 64, messages), (3, 64, messages), (1, 1, messages / 10), (3, 1, messages / 10) })
        {
            var (elapsed, turns) = await ThroughputAsync(connection, count, silos, perTurn);
            Console.WriteLine($"| {silos} silo{(silos > 1 ? "s" : "")}, 200 grains in 40 cases, up to {perTurn} per turn | {count:N0} | {elapsed.TotalSeconds:F2} | {count / elapsed.TotalSeconds:N0} | {turns:N0} |");
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static async Task<(double P50, double P99, double Mean)> FloorAsync(string connectionString, int hops)
    {
        var schema = "floor_" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.queue (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var recorder = new LatencyRecorder();
        await using var listen = await dataSource.OpenConnectionAsync();
        await using var claimer = await dataSource.OpenConnectionAsync();
        await using var producer = await dataSource.OpenConnectionAsync();
        await using var claim = new NpgsqlCommand($"DELETE FROM {schema}.queue WHERE id = (SELECT id FROM {schema}.queue ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING body", claimer);
        var startedAt = 0L;
        listen.Notification += (_, _) =>
        {
            // Claim and commit on the notification, as a consumer would, then stop the clock.
            claim.ExecuteScalar();
            recorder.Record(Stopwatch.GetElapsedTime(Volatile.Read(ref startedAt)));
        };
        await using (var command = new NpgsqlCommand($"LISTEN {schema}", listen))
        {
            await command.ExecuteNonQueryAsync();
        }

        using var stop = new CancellationTokenSource();
        var waiting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await listen.WaitAsync(stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await using var batch = new NpgsqlBatch(producer)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"INSERT INTO {schema}.queue (body) VALUES ('{{\"hop\":1}}')"),
                new NpgsqlBatchCommand($"SELECT pg_notify('{schema}', 'q')"),
            },
        };
        for (var i = 0; i < hops; i++)
        {
            recorder.Arm();
            Volatile.Write(ref startedAt, Stopwatch.GetTimestamp());
            await batch.ExecuteNonQueryAsync();
            await recorder.Next;
        }

        await stop.CancelAsync();
        await waiting;
        return recorder.Summary();
    }

    private static async Task<(double P50, double P99, double Mean)> HopAsync(string connectionString, int hops, int silos)
    {
        var schema = "hop_" + Guid.NewGuid().ToString("N")[..8];
        var recorder = new LatencyRecorder();
        var runtimes = new List<(GrainRuntime Runtime, PostgresGrainStore Store)>();
        var source = GrainId.InCase(PgBenchGrain.Type, "bench", "a");
        var target = GrainId.InCase(PgBenchGrain.Type, "bench", "b");
        try
        {
            for (var i = 1; i <= silos; i++)
            {
                var runtime = await StartAsync(connectionString, schema, $"hop-{i}", runtimes, maxPerTurn: 64);
                runtime.TurnCommitted += turn =>
                {
                    if (turn.Grain == target && turn.State is PgHopState { LandedStartedAt: > 0 } state)
                    {
                        recorder.Record(Stopwatch.GetElapsedTime(state.LandedStartedAt));
                    }
                };
            }

            // Taking the leases up front places the source on the first silo and the target on the last, so with
            // two silos every hop crosses between them by NOTIFY.
            await runtimes[0].Store.ActivateAsync(source, CancellationToken.None);
            await runtimes[^1].Store.ActivateAsync(target, CancellationToken.None);

            var driver = runtimes[0].Runtime;
            for (var i = 0; i < hops; i++)
            {
                recorder.Arm();
                await driver.SendAsync(source, new PgHop("b"));
                await recorder.Next;
            }

            if (silos > 1 && !(runtimes[0].Store.OwnsForDiagnostics(source) && runtimes[^1].Store.OwnsForDiagnostics(target)))
            {
                Console.Error.WriteLine("warning: source and target did not stay on their silos");
            }

            return recorder.Summary();
        }
        finally
        {
            await StopAllAsync(runtimes);
        }
    }

    private static async Task<(TimeSpan Elapsed, long Turns)> ThroughputAsync(string connectionString, int messages, int silos, int perTurn)
    {
        var schema = "tp_" + Guid.NewGuid().ToString("N")[..8];
        var runtimes = new List<(GrainRuntime Runtime, PostgresGrainStore Store)>();
        var handled = 0L;
        var turns = 0L;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            for (var i = 1; i <= silos; i++)
            {
                var runtime = await StartAsync(connectionString, schema, $"tp-{i}", runtimes, perTurn);
                runtime.TurnCommitted += turn =>
                {
                    Interlocked.Increment(ref turns);
                    if (Interlocked.Add(ref handled, turn.Handled) >= messages)
                    {
                        done.TrySetResult();
                    }
                };
            }

            var grains = Enumerable.Range(0, 200).Select(i => GrainId.InCase(PgBenchGrain.Type, $"case-{i / 5}", $"g{i % 5}")).ToArray();
            var started = Stopwatch.GetTimestamp();

            // Two producers; each batch is 200 messages to the 5 grains of one case (one transaction), sent through
            // the silos in turn.
            await Task.WhenAll(Enumerable.Range(0, 2).Select(p => Task.Run(async () =>
            {
                var sent = 0;
                for (var b = p; sent < messages / 2; b += 2)
                {
                    var count = Math.Min(200, (messages / 2) - sent);
                    var caseGrains = grains.AsSpan((b % 40) * 5, 5).ToArray();
                    var batch = Enumerable.Range(0, count).Select(i => new Envelope(caseGrains[i % 5], new PgTick())).ToList();
                    await runtimes[b % silos].Runtime.SendManyAsync(batch);
                    sent += count;
                }
            })));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
            return (Stopwatch.GetElapsedTime(started), Interlocked.Read(ref turns));
        }
        finally
        {
            await StopAllAsync(runtimes);
        }
    }

    private static async Task<GrainRuntime> StartAsync(string connectionString, string schema, string siloId, List<(GrainRuntime, PostgresGrainStore)> runtimes, int maxPerTurn)
    {
        var store = new PostgresGrainStore(new PostgresStoreOptions { ConnectionString = connectionString, SchemaName = schema }, siloId, logger: Verbose ? new ConsoleErrorLogger<PostgresGrainStore>() : null);
        var registry = new GrainTypeRegistry().Add(PgBenchGrain.Type, new PgBenchGrain());
        var runtime = new GrainRuntime(store, registry, Options.Create(new RuntimeOptions { SiloId = siloId, MaxMessagesPerTurn = maxPerTurn }), logger: Verbose ? new ConsoleErrorLogger<GrainRuntime>() : null);
        runtimes.Add((runtime, store));
        await runtime.StartAsync(CancellationToken.None);
        return runtime;
    }

    private static async Task StopAllAsync(List<(GrainRuntime Runtime, PostgresGrainStore Store)> runtimes)
    {
        foreach (var (runtime, store) in runtimes)
        {
            await runtime.DisposeAsync();
            await store.DisposeAsync();
        }
    }
}
