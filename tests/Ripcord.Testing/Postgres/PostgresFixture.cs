using Npgsql;
using Xunit;

namespace Ripcord.Testing.Postgres;

/// <summary>
/// One private PostgreSQL per test collection (use with <c>ICollectionFixture</c>); each test takes its own schema
/// from <see cref="NewSchema"/>. Fails, never skips, when PostgreSQL's binaries are missing.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _schemas;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    public string ConnectionString => Server.ConnectionString;

    /// <summary>A schema name no other test of this run uses.</summary>
    public string NewSchema() => $"t{Interlocked.Increment(ref _schemas)}_{Guid.NewGuid().ToString("N")[..8]}";

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    public Task ExecuteAsync(string sql) => Server.ExecuteAsync(sql);

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
