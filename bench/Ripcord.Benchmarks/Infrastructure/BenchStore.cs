using System.Diagnostics;
using Npgsql;
using Ripcord.Testing.Postgres;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// The store a suite's silos run on (<c>--store memory</c>, the default, or <c>--store postgres</c>): for PostgreSQL a
/// private server started for the run (initdb in a temporary folder, PostgreSQL's durable defaults: fsync and
/// synchronous commit on), one database, a fresh schema per cluster the suite starts.
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private const string Database = "ripcord_bench";

    private readonly PostgresServer? _server;
    private int _schemas;

    private BenchStore(PostgresServer? server, string? version)
    {
        _server = server;
        Version = version;
    }

    public bool IsPostgres => _server is not null;

    /// <summary>Appended to the suite's name for its result file: <c>cancel-postgres.md</c>.</summary>
    public string Suffix => IsPostgres ? "-postgres" : "";

    /// <summary>PostgreSQL's <c>server_version</c>, or null in memory.</summary>
    public string? Version { get; }

    public string ConnectionString => _server?.ConnectionStringFor(Database) ?? throw new InvalidOperationException("The suite runs in memory.");

    public static async Task<BenchStore> StartAsync(Arguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var kind = args.Value("--store") ?? "memory";
        if (kind == "memory")
        {
            return new BenchStore(null, null);
        }

        if (kind != "postgres")
        {
            throw new ArgumentException($"--store takes memory or postgres, not '{kind}'.");
        }

        Console.Error.WriteLine("Starting a private PostgreSQL (durable defaults)");
        var server = await PostgresServer.StartAsync(durable: true);
        try
        {
            await server.ExecuteAsync($"CREATE DATABASE {Database}");
            await using var connection = new NpgsqlConnection(server.ConnectionStringFor(Database));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW server_version", connection);
            return new BenchStore(server, (string?)await command.ExecuteScalarAsync());
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>One sentence on the store, for a report.</summary>
    public string Describe() => IsPostgres
        ? $"PostgreSQL {Version} on the same machine (a private server started for the run: `initdb`, PostgreSQL's durable defaults, `fsync` and `synchronous_commit` on), Ripcord's PostgreSQL store through Orleans' ADO.NET providers and Npgsql (a pool of at most 30 connections per silo: on this 2-core machine 10 and 100 both terminated slower), over TCP on loopback"
        : "the in-memory store (Orleans memory grain storage, in-memory reminders, case index and history)";

    /// <summary>The settings of a silo on this store; each call on PostgreSQL gives a fresh schema (a cluster of its own).</summary>
    public Dictionary<string, string?> NewClusterSettings()
    {
        if (!IsPostgres)
        {
            return new Dictionary<string, string?> { ["Ripcord:Store:Kind"] = "InMemory" };
        }

        return new Dictionary<string, string?>
        {
            ["Ripcord:Store:Kind"] = "Postgres",
            ["Ripcord:Store:Postgres:ConnectionString"] = ConnectionString,
            ["Ripcord:Store:Postgres:SchemaName"] = $"bench{Interlocked.Increment(ref _schemas)}",
        };
    }

    /// <summary>
    /// The floor of every durable turn: one single-row INSERT committed (autocommit, one round trip, a prepared
    /// statement on an open connection), <paramref name="count"/> times after <paramref name="warmup"/>.
    /// </summary>
    public async Task<Samples> MeasureCommitAsync(int warmup, int count)
    {
        var samples = new Samples("floor: PostgreSQL single-row `INSERT` + commit round trip");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS public.bench_floor (id bigint PRIMARY KEY, payload text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var insert = new NpgsqlCommand("INSERT INTO public.bench_floor (id, payload) VALUES ($1, $2)", connection);
        var id = new NpgsqlParameter<long> { TypedValue = 0 };
        insert.Parameters.Add(id);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new string('x', 512) });
        await insert.PrepareAsync();
        var next = await NextIdAsync(connection);
        for (var i = 0; i < warmup + count; i++)
        {
            id.TypedValue = next++;
            var t = Stopwatch.GetTimestamp();
            await insert.ExecuteNonQueryAsync();
            if (i >= warmup)
            {
                samples.Add(t, Stopwatch.GetTimestamp());
            }
        }

        return samples;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static async Task<long> NextIdAsync(NpgsqlConnection connection)
    {
        await using var max = new NpgsqlCommand("SELECT coalesce(max(id), 0) + 1 FROM public.bench_floor", connection);
        return (long)(await max.ExecuteScalarAsync())!;
    }
}
