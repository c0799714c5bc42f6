using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Ripcord.Grains;
using Ripcord.Grains.Processes;
using Ripcord.Runtime;
using Ripcord.Silo.Agents;
using Ripcord.Silo.Api;
using Ripcord.Silo.Live;
using Ripcord.Silo.SampleAgents;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Hosting;

/// <summary>Registers everything a silo runs, from configuration (section <c>Ripcord</c>). Safe to call twice.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddRipcordSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection("Ripcord:Runtime"));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection("Ripcord:Auth")).Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection("Ripcord:Api"));
        services.AddRipcordRuntime();
        services.AddRipcordGrains();

        // Definitions live in the grain store, so every silo of a cluster starts cases from the same ones.
        services.Replace(ServiceDescriptor.Singleton<IProcessDefinitionRepository, GrainProcessDefinitionRepository>());
        AddStore(services, configuration);

        services.AddSingleton<ReadyTaskIndex>();
        services.AddSingleton<AgentSignalHub>();
        services.AddSingleton<CaseChangeFeed>();
        services.AddOutboxHandler<TaskReadyBroadcaster>();
        services.AddOutboxHandler<CancelSignalBroadcaster>();
        if (!services.Any(d => d.ImplementationType == typeof(SiloStartup)))
        {
            services.AddHostedService<SiloStartup>();
        }

        services.AddRipcordSampleAgents(configuration);

        services.AddSingleton<ApiKeyDirectory>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ReadPolicy, p => p.RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin))
            .AddPolicy(Roles.OperatePolicy, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.AgentPolicy, p => p.RequireRole(Roles.Agent));

        var maxBody = configuration.GetValue<long?>("Ripcord:Api:MaxRequestBodyBytes") ?? ApiOptions.DefaultMaxRequestBodyBytes;
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = maxBody);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi();
        return services;
    }

    private static void AddStore(IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration["Ripcord:Store:Kind"] ?? "InMemory";
        if (string.Equals(kind, "InMemory", StringComparison.OrdinalIgnoreCase))
        {
            services.UseInMemoryStore();
            return;
        }

        if (string.Equals(kind, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            services.UsePostgresStore(o => configuration.GetSection("Ripcord:Store:Postgres").Bind(o));
            return;
        }

        throw new InvalidOperationException($"Ripcord:Store:Kind '{kind}' is not supported; use 'InMemory' or 'Postgres'.");
    }
}
