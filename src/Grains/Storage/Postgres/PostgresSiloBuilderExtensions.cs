using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>Runs a silo on PostgreSQL: Orleans' membership, grain state and reminders, and Ripcord's index and history.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>
    /// The key of the store's <see cref="NpgsqlDataSource"/> in the container. Keyed, so an application's own data
    /// source (another database, other settings) never gets mixed up with this one.
    /// </summary>
    public const string DataSourceKey = "ripcord";

    /// <summary>The ADO.NET invariant the Orleans providers are given.</summary>
    public const string Invariant = "Npgsql";

    private const string ListenDataSourceKey = "ripcord-listen";

    /// <summary>
    /// Registers the store's data sources, the schema migration (run early in the silo's start, before any Orleans
    /// provider reads its queries), ADO.NET clustering, grain storage <see cref="RipcordStorage.Name"/> with
    /// System.Text.Json payloads, ADO.NET reminders, and <see cref="ICaseIndex"/> and <see cref="ICaseHistory"/> on
    /// PostgreSQL. Settings are checked when the host starts (<see cref="PostgresStoreOptions.ConnectionString"/> is
    /// required).
    /// </summary>
    public static ISiloBuilder UseRipcordPostgres(this ISiloBuilder silo, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configure);
        var services = silo.Services;
        services.AddOptions<PostgresStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());

        services.AddKeyedSingleton(DataSourceKey, (sp, _) => BuildDataSource(sp, listen: false));
        services.AddKeyedSingleton(ListenDataSourceKey, (sp, _) => BuildDataSource(sp, listen: true));
        // Reconnect backoff is operational time, never a test's moved clock: the system clock, whatever is registered.
        services.AddSingleton(sp => new PostgresNotifications(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(ListenDataSourceKey),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>(),
            sp.GetService<ILogger<PostgresNotifications>>(),
            TimeProvider.System));
        services.AddSingleton<ICaseIndex>(sp => new PostgresCaseIndex(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            sp.GetRequiredService<PostgresNotifications>(),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<ICaseHistory>(sp => new PostgresCaseHistory(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            sp.GetRequiredService<PostgresNotifications>(),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new PostgresMigrationParticipant(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>(),
            sp.GetRequiredService<ILogger<PostgresMigrationParticipant>>()));

        silo.UseAdoNetClustering(o => o.Configure<IServiceProvider>((options, sp) =>
        {
            options.Invariant = Invariant;
            options.DataSource = sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey);
        }));
        silo.AddAdoNetGrainStorage(RipcordStorage.Name, o => o.Configure<IServiceProvider>((options, sp) =>
        {
            options.Invariant = Invariant;
            options.DataSource = sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey);
        }));
        silo.UseAdoNetReminderService(o => o.Configure<IServiceProvider>((options, sp) =>
        {
            options.Invariant = Invariant;
            options.DataSource = sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey);
        }));

        // The ADO.NET storage takes the silo's default grain storage serializer; this makes it System.Text.Json
        // (10.4.2 otherwise writes Newtonsoft JSON with $type names).
        silo.UseSystemTextJsonGrainStorageSerializer();
        return silo;
    }

    private static NpgsqlDataSource BuildDataSource(IServiceProvider services, bool listen)
    {
        var options = services.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;

        // Orleans' providers look up OrleansQuery unqualified; everything else names the schema itself.
        settings.SearchPath = options.SchemaName;
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = listen ? "ripcord-listen" : "ripcord";
        }

        if (listen)
        {
            // Held for the life of the process: kept out of the pool, and kept alive so a dead server is noticed
            // while the connection only waits.
            settings.Pooling = false;
            settings.MaxAutoPrepare = 0;
            if (settings.KeepAlive == 0)
            {
                settings.KeepAlive = 15;
            }
        }
        else
        {
            if (options.MaxPoolSize is { } max)
            {
                settings.MaxPoolSize = max;
            }

            if (settings.MaxAutoPrepare == 0)
            {
                settings.MaxAutoPrepare = options.MaxAutoPrepare;
            }

            // A pooled session here leaves nothing behind for the next user (no SET, temporary tables or session
            // locks; LISTEN has its own connection above), so the reset Npgsql would send with the next command
            // after every return to the pool (seven statements with prepared statements kept) is skipped, unless
            // the connection string asks for it.
            if (!Names(options.ConnectionString, "NoResetOnClose"))
            {
                settings.NoResetOnClose = true;
            }
        }

        if (services.GetService<ILoggerFactory>() is { } loggers)
        {
            builder.UseLoggerFactory(loggers);
        }

        return builder.Build();
    }

    /// <summary>Whether the connection string itself sets <paramref name="keyword"/> (spaces and case aside).</summary>
    private static bool Names(string? connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));
}
