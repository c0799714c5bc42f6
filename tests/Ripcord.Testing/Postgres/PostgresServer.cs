using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ripcord.Testing.Postgres;

/// <summary>
/// A private PostgreSQL server for tests and benchmarks: initdb in a temporary folder, started with pg_ctl on a free
/// port, as the <c>postgres</c> user (created if missing) when this process runs as root, removed when disposed.
/// Binaries come from <c>RIPCORD_PG_BIN</c>, else the newest /usr/lib/postgresql/*/bin, else PATH.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";

    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;
    private readonly string? _runAs;

    private PostgresServer(string bin, string root, string? runAs, int port)
    {
        _bin = bin;
        _root = root;
        _data = Path.Combine(root, "data");
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    public string DataDirectory => _data;

    /// <summary>Connection string to the server's <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        MaxPoolSize = 30,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>
    /// Starts a server. <paramref name="durable"/> false turns fsync and synchronous commit off (tests);
    /// true keeps PostgreSQL's durable defaults (benchmarks).
    /// </summary>
    public static async Task<PostgresServer> StartAsync(bool durable = false, CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), "ripcord-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        string? runAs = null;
        if (Environment.IsPrivilegedProcess)
        {
            // PostgreSQL refuses to run as root.
            runAs = ServiceUser;
            await EnsureUserAsync(runAs, cancellationToken).ConfigureAwait(false);
            await RunAsync("chown", ["-R", runAs + ":", root], null, cancellationToken).ConfigureAwait(false);
        }

        var server = new PostgresServer(bin, root, runAs, FreePort());
        try
        {
            await server.RunToolAsync("initdb", ["-D", server._data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken).ConfigureAwait(false);
            var settings = new List<string>
            {
                "max_connections = 300",
                "shared_buffers = 64MB",
                $"unix_socket_directories = '{root}'",
                "listen_addresses = '127.0.0.1'",
                $"port = {server.Port}",
            };
            if (!durable)
            {
                settings.AddRange(["fsync = off", "synchronous_commit = off", "full_page_writes = off"]);
            }

            await File.AppendAllLinesAsync(Path.Combine(server._data, "postgresql.conf"), settings, cancellationToken).ConfigureAwait(false);
            await server.PgCtlAsync("start", cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Restarts the server (fast shutdown: every session is cut), waiting until it accepts connections again.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => PgCtlAsync("restart", cancellationToken);

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                await RunToolAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"], CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task PgCtlAsync(string verb, CancellationToken cancellationToken) =>
        RunToolAsync("pg_ctl", ["-D", _data, "-l", Path.Combine(_root, "server.log"), "-m", "fast", "-w", "-t", "60", verb], cancellationToken);

    private Task RunToolAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_bin, tool);
        return _runAs is null
            ? RunAsync(path, arguments, _root, cancellationToken)
            : RunAsync("runuser", ["-u", _runAs, "--", path, .. arguments], _root, cancellationToken);
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("RIPCORD_PG_BIN");
        if (!string.IsNullOrEmpty(configured) && File.Exists(Path.Combine(configured, "initdb")))
        {
            return configured;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found in RIPCORD_PG_BIN, /usr/lib/postgresql/*/bin or PATH. "
            + "Install them with `bash .ci/postgres.sh` (apt-get install postgresql).");
    }

    private static async Task EnsureUserAsync(string user, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync("id", ["-u", user], null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user], null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output.ConfigureAwait(false)}\n{await error.ConfigureAwait(false)}");
        }
    }
}
