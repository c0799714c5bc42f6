using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Ripcord.Grains.Cases;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Processes;
using Ripcord.Grains.Resources;
using Ripcord.Grains.Tasks;
using Ripcord.Runtime;
using Ripcord.Runtime.Storage;

namespace Ripcord.Grains;

/// <summary>Registers the cancellation domain. Safe to call twice.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime (if not added yet), the case, task and registry grains, the release-webhook and kill-hook
    /// outbox handlers and the in-memory process repository (unless another is registered).
    /// </summary>
    public static IServiceCollection AddRipcordGrains(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRipcordRuntime();
        services.AddGrain<CaseGrain>(GrainTypes.Case);
        services.AddGrain<TaskGrain>(GrainTypes.Task);
        services.AddGrain<ResourceRegistryGrain>(GrainTypes.Registry);
        services.AddGrain<ProcessGrain>(ProcessGrain.Type);
        services.AddHttpClient(WebhookReleaseHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient(AgentKillHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));

        // The handlers resolve the grain client lazily: the runtime that receives them is that client.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxHandler, WebhookReleaseHandler>(sp => new WebhookReleaseHandler(
            sp.GetRequiredService<IHttpClientFactory>(),
            () => sp.GetRequiredService<IGrainClient>(),
            sp.GetService<ILogger<WebhookReleaseHandler>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxHandler, AgentKillHandler>(sp => new AgentKillHandler(
            sp.GetRequiredService<IHttpClientFactory>(),
            () => sp.GetRequiredService<IGrainClient>(),
            sp.GetService<ILogger<AgentKillHandler>>())));
        services.TryAddSingleton<IProcessDefinitionRepository, InMemoryProcessDefinitionRepository>();
        return services;
    }
}
