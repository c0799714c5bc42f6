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

    /// <summary>The private server's postmaster process id (for <see cref="CpuMeter"/>), or null in memory.</summary>
    public int? Postmaster => _server is null ? null : int.Parse(File.ReadLines(Path.Combine(_server.DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    public string ConnectionString => _server?.ConnectionStringFor(Database) ?? throw new InvalidOperationException("The suite runs in memory.");

    /// <param name="defaultKind">The store when <c>--store</c> is not given.</param>
    public static async Task<BenchStore> StartAsync(Arguments args, string defaultKind = "memory")
    {
        ArgumentNullException.ThrowIfNull(args);
        var kind = args.Value("--store") ?? defaultKind;
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
            await using (var create = new NpgsqlCommand("CREATE TABLE public.bench_floor (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL)", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

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
        await using var connection = await OpenFloorAsync();
        await using var insert = await PrepareInsertAsync(connection);
        for (var i = 0; i < warmup + count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await insert.ExecuteNonQueryAsync();
            if (i >= warmup)
            {
                samples.Add(t, Stopwatch.GetTimestamp());
            }
        }

        return samples;
    }

    /// <summary>Commits single-row INSERTs one after the other on a connection of its own until <paramref name="until"/> (a <see cref="Stopwatch"/> timestamp); returns how many.</summary>
    public async Task<long> CommitUntilAsync(long until)
    {
        await using var connection = await OpenFloorAsync();
        await using var insert = await PrepareInsertAsync(connection);
        var done = 0L;
        while (Stopwatch.GetTimestamp() < until)
        {
            await insert.ExecuteNonQueryAsync();
            done++;
        }

        return done;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> OpenFloorAsync()
    {
        // Held for the whole floor, by as many workers as the suite runs: outside the silos' pool, whose size would cap them.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<NpgsqlCommand> PrepareInsertAsync(NpgsqlConnection connection)
    {
        var insert = new NpgsqlCommand("INSERT INTO public.bench_floor (payload) VALUES ($1)", connection);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new string('x', 512) });
        await insert.PrepareAsync();
        return insert;
    }
}
