using Microsoft.Extensions.DependencyInjection.Extensions;
using Ripcord.Silo.Live;

namespace Ripcord.Silo.Agents;

/// <summary>Registers the agent gateway and the live feeds of a silo. Safe to call twice.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddRipcordGateway(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentSignalHub>();
        services.TryAddSingleton<ReadyTaskDispatcher>();
        services.TryAddSingleton<CaseChangeFeed>();
        return services;
    }
}
