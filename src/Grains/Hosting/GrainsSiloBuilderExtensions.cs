using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Ripcord.Contracts;
using Ripcord.Grains.Agents;
using Ripcord.Grains.Durability;
using Ripcord.Grains.Outbox;
using Ripcord.Grains.Processes;
using Ripcord.Grains.Resources;

namespace Ripcord.Grains;

/// <summary>Adds the cancellation domain to an Orleans silo. Safe to call twice.</summary>
public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// Adds what Ripcord's grains need: the durability protocol's services, the domain clock (the system clock unless
    /// one was registered before), System.Text.Json grain state with Ripcord's JSON settings, and the outbox handlers
    /// (ready tasks, cancel signals, release webhooks, kill hooks). Stores are added apart:
    /// <c>UseRipcordInMemoryStores</c> or <c>UseRipcordPostgres</c>.
    /// </summary>
    public static ISiloBuilder AddRipcordGrains(this ISiloBuilder silo, Action<DurabilityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(DurableGrainServices)))
        {
            return silo;
        }

        silo.UseSystemTextJsonGrainStorageSerializer();
        services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o => ConfigureStateJson(o.JsonSerializerOptions));

        // A silo that shuts down hands its activations, with their state, to the others (Orleans migrates them):
        // the state goes over the wire as the JSON it is stored as.
        var migration = new JsonSerializerOptions();
        ConfigureStateJson(migration);
        services.AddSerializer(b => b.AddJsonSerializer(t => t.IsConstructedGenericType && t.GetGenericTypeDefinition() == typeof(GrainRecord<>), migration));
        services.AddOptions<DurabilityOptions>();

        // The recovery reminder's period may be below Orleans' default minimum (1 minute): allow it.
        services.AddOptions<ReminderOptions>().PostConfigure<IOptions<DurabilityOptions>>((reminders, durability) =>
        {
            if (durability.Value.RecoveryPeriod < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = durability.Value.RecoveryPeriod;
            }
        });
        services.TryAddSingleton(RipcordClock.System);
        services.AddSingleton<ClusterPeers>();
        services.AddSingleton<DurableGrainServices>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DeadSiloRecovery>();
        services.AddSingleton<GrainReferences>();
        services.AddOptions<ResourceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResourceOptions>, ResourceOptionsValidator>());
        services.AddOptions<KillHookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KillHookOptions>, KillHookOptionsValidator>());
        services.AddSingleton<WebhookHosts>();

        // A webhook goes to the host that was allowed, never where a redirect points.
        services.AddHttpClient(WebhookReleaseHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHttpClient(AgentKillHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<IOutboxHandler, WebhookReleaseHandler>();
        services.AddSingleton<IOutboxHandler, AgentKillHandler>();
        services.AddSingleton<IOutboxHandler, TaskReadyHandler>();
        services.AddSingleton<IOutboxHandler, CancelSignalHandler>();
        services.AddSingleton<IOutboxHandler, HistoryRedactionHandler>();
        services.TryAddSingleton<IProcessDefinitionRepository, GrainProcessDefinitionRepository>();
        return silo;
    }

    /// <summary>Ripcord's JSON settings for grain state, as stored and as migrated.</summary>
    private static void ConfigureStateJson(JsonSerializerOptions options)
    {
        var ripcord = RipcordJson.Options;
        options.PropertyNamingPolicy = ripcord.PropertyNamingPolicy;
        options.PropertyNameCaseInsensitive = ripcord.PropertyNameCaseInsensitive;
        options.NumberHandling = ripcord.NumberHandling;
        options.IncludeFields = false;
        options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
    }
}
