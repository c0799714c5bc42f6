using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ripcord.Grains.Resources;

namespace Ripcord.Silo.SampleAgents;

/// <summary>Registers the sample agents and the simulated cloud; they run only when <c>Ripcord:SampleAgents:Enabled</c> is true.</summary>
public static class SampleAgentsServiceCollectionExtensions
{
    public static IServiceCollection AddRipcordSampleAgents(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound lazily and decided at start, so settings added after this call (tests, later configuration) count.
        services.AddOptions<SampleAgentsOptions>().Bind(configuration.GetSection(SampleAgentsOptions.Section));

        // The simulated cloud the agents release their VMs on is this silo: its loopback addresses, and the server
        // URL they are given, are allowed release hosts while they run.
        services.AddOptions<ResourceOptions>().PostConfigure<IOptions<SampleAgentsOptions>>((resources, samples) =>
        {
            if (!samples.Value.Enabled)
            {
                return;
            }

            resources.AllowedReleaseHosts.AddRange(["localhost", "127.0.0.1", "[::1]"]);
            if (Uri.TryCreate(samples.Value.ServerUrl, UriKind.Absolute, out var server))
            {
                resources.AllowedReleaseHosts.Add(server.Authority);
            }
        });
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
