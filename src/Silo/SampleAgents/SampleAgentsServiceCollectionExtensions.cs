using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ripcord.Silo.SampleAgents;

/// <summary>Registers the sample agents and the simulated cloud; they run only when <c>Ripcord:SampleAgents:Enabled</c> is true.</summary>
public static class SampleAgentsServiceCollectionExtensions
{
    public static IServiceCollection AddRipcordSampleAgents(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound lazily and decided at start, so settings added after this call (tests, later configuration) count.
        services.AddOptions<SampleAgentsOptions>().Bind(configuration.GetSection(SampleAgentsOptions.Section));
        if (services.Any(d => d.ImplementationType == typeof(SampleAgentsHost)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SimulatedCloud>();
        services.AddHostedService<SampleAgentsHost>();
        return services;
    }
}
