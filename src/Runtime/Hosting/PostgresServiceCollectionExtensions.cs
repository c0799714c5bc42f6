using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ripcord.Runtime.Cluster;
using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.Postgres;

namespace Ripcord.Runtime;

/// <summary>Registers the PostgreSQL store. Safe to call twice; the last store registered wins.</summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Uses PostgreSQL as the store (<c>Ripcord:Store:Kind=Postgres</c>). Options are validated when the host
    /// starts; the silo id is <see cref="RuntimeOptions.SiloId"/>.
    /// </summary>
    public static IServiceCollection UsePostgresStore(this IServiceCollection services, Action<PostgresStoreOptions>? configure = null)
    {
        services.AddOptions<RuntimeOptions>();
        services.AddOptions<PostgresStoreOptions>().Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PostgresGrainStore(
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<IOptions<RuntimeOptions>>().Value.SiloId,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<PostgresGrainStore>>()));
        services.RemoveAll<IGrainStore>();
        services.AddSingleton<IGrainStore>(static sp => sp.GetRequiredService<PostgresGrainStore>());
        services.RemoveAll<IClusterBus>();
        services.AddSingleton<IClusterBus>(static sp => new PostgresClusterBus(sp.GetRequiredService<PostgresGrainStore>()));
        return services;
    }
}
