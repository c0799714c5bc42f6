using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.InMemory;

namespace Ripcord.Runtime;

/// <summary>Registers the grain runtime. Every method is safe to call twice.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>Adds the runtime as a hosted service, with the in-memory store unless another store is registered.</summary>
    public static IServiceCollection AddRipcordRuntime(this IServiceCollection services, Action<RuntimeOptions>? configure = null)
    {
        services.AddOptions<RuntimeOptions>().Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrainStore>(sp => new InMemoryGrainStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            var registry = new GrainTypeRegistry();
            foreach (var registration in sp.GetServices<GrainRegistration>())
            {
                registry.Add(registration.Type, (IGrain)sp.GetRequiredService(registration.GrainType));
            }

            return registry;
        });
        services.TryAddSingleton<Cluster.IClusterBus, Cluster.InMemoryClusterBus>();
        services.TryAddSingleton<GrainRuntime>();
        services.TryAddSingleton<IGrainClient>(sp => sp.GetRequiredService<GrainRuntime>());
        if (!services.Any(d => d.ServiceType == typeof(RuntimeMarker)))
        {
            services.AddSingleton<RuntimeMarker>();
            services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<GrainRuntime>());
        }

        return services;
    }

    /// <summary>Uses the in-memory store (the default).</summary>
    public static IServiceCollection UseInMemoryStore(this IServiceCollection services)
    {
        services.RemoveAll<IGrainStore>();
        services.AddSingleton<IGrainStore>(sp => new InMemoryGrainStore(sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Registers a grain behaviour for a grain type name.</summary>
    public static IServiceCollection AddGrain<TGrain>(this IServiceCollection services, string type)
        where TGrain : class, IGrain
    {
        services.TryAddSingleton<TGrain>();
        if (!services.Any(d => d.ServiceType == typeof(GrainRegistration) && d.ImplementationInstance is GrainRegistration r && r.Type == type))
        {
            services.AddSingleton(new GrainRegistration(type, typeof(TGrain)));
        }

        return services;
    }

    /// <summary>Registers an outbox handler.</summary>
    public static IServiceCollection AddOutboxHandler<THandler>(this IServiceCollection services)
        where THandler : class, IOutboxHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxHandler, THandler>());
        return services;
    }

    private sealed class RuntimeMarker;
}
