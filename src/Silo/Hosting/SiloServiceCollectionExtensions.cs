using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Ripcord.Silo.Agents;
using Ripcord.Silo.Api;
using Ripcord.Silo.Api.OpenApi;
using Ripcord.Silo.SampleAgents;
using Ripcord.Silo.Security;

namespace Ripcord.Silo.Hosting;

/// <summary>Registers everything a silo runs, from configuration (section <c>Ripcord</c>). Safe to call twice.</summary>
public static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddRipcordSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection("Ripcord:Auth")).Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection("Ripcord:Api"))
            .Validate(o => o.MaxCheckpointBytes > 0, "Ripcord:Api:MaxCheckpointBytes must be a positive number of bytes")
            .ValidateOnStart();
        services.AddRipcordGateway();
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
        services.AddRipcordOpenApi();
        return services;
    }
}
