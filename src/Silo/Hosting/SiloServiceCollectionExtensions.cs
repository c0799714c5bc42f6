using Ripcord.Runtime;

namespace Ripcord.Silo.Hosting;

/// <summary>Registers everything a silo runs, from configuration (section <c>Ripcord</c>).</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddRipcordSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection("Ripcord:Runtime"));
        services.AddRipcordRuntime();
        var kind = configuration["Ripcord:Store:Kind"] ?? "InMemory";
        if (!string.Equals(kind, "InMemory", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Ripcord:Store:Kind '{kind}' is not supported; use 'InMemory'.");
        }

        services.UseInMemoryStore();
        return services;
    }
}
