using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Ripcord.Grains.Storage.Postgres;
using Ripcord.Testing.Postgres;

namespace Ripcord.Storage.Tests.Orleans;

/// <summary>
/// Real Orleans silos (generic hosts on loopback TCP ports) whose membership, state and reminders are on the
/// PostgreSQL store. Orleans 10.4.2's <c>InProcessTestCluster</c> always uses its in-memory membership
/// (<c>UseTestClusterMembership</c> cannot be set from outside), so it cannot show the ADO.NET clustering at work.
/// </summary>
internal sealed class PostgresSiloCluster : IAsyncDisposable
{
    private readonly List<IHost> _silos = [];
    private readonly List<IHost> _clients = [];

    private readonly Action<ISiloBuilder>? _configure;

    private PostgresSiloCluster(PostgresFixture fixture, string schema, string serviceId, string clusterId, Action<ISiloBuilder>? configure)
    {
        _configure = configure;
        Fixture = fixture;
        Schema = schema;
        ServiceId = serviceId;
        ClusterId = clusterId;
    }

    public PostgresFixture Fixture { get; }

    public string Schema { get; }

    public string ServiceId { get; }

    public string ClusterId { get; }

    public IReadOnlyList<IHost> Silos => _silos;

    /// <summary>The first silo's grain factory (a silo is a client of its own cluster).</summary>
    public IGrainFactory Grains => _silos[0].Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts <paramref name="silos"/> silos at once on <paramref name="schema"/> (migrated by the silos themselves).</summary>
    public static async Task<PostgresSiloCluster> StartAsync(
        PostgresFixture fixture,
        string schema,
        string serviceId,
        int silos = 1,
        string? clusterId = null,
        Action<ISiloBuilder>? configure = null)
    {
        var cluster = new PostgresSiloCluster(fixture, schema, serviceId, clusterId ?? "cluster-" + Guid.NewGuid().ToString("N")[..8], configure);
        try
        {
            var hosts = Enumerable.Range(0, silos).Select(_ => cluster.BuildSilo()).ToList();
            cluster._silos.AddRange(hosts);
            await Task.WhenAll(hosts.Select(h => h.StartAsync()));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client-only host that finds the gateways through the membership table (the gateway query).</summary>
    public async Task<IClusterClient> StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var connection = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { SearchPath = Schema }.ConnectionString;
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSiloBuilderExtensions.Invariant;
                o.ConnectionString = connection;
            });
        });
        var host = builder.Build();
        _clients.Add(host);
        await host.StartAsync();
        return host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Stops every silo gracefully (each marks itself dead in the membership table).</summary>
    public async Task StopAsync()
    {
        foreach (var client in _clients)
        {
            await client.StopAsync();
        }

        await Task.WhenAll(_silos.Select(s => s.StopAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _clients.Concat(_silos))
        {
            try
            {
                await host.StopAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // Already stopped, or failed to start.
            }

            host.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private IHost BuildSilo()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort());
            silo.UseRipcordPostgres(o =>
            {
                o.ConnectionString = Fixture.ConnectionString;
                o.SchemaName = Schema;
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            _configure?.Invoke(silo);
        });
        return builder.Build();
    }
}
