using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Ripcord.Silo.Api;
using Ripcord.Silo.Dashboard;
using Ripcord.Silo.SampleAgents;
using Ripcord.Silo.Security;
using Orleans.Dashboard;

namespace Ripcord.Silo.Hosting;

/// <summary>Builds the silo web application; shared by Program and the tests that run a real silo in process.</summary>
public static class SiloHost
{
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Ripcord:Store:Kind=Postgres</c>, ...).</param>
    /// <param name="configure">Runs after the silo's services are registered, to add or replace some.</param>
    /// <param name="settings">Configuration added before the services are registered (so it can choose the store).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddRipcordSilo(builder.Configuration);
        builder.UseOrleans(silo => silo.UseRipcord(builder.Configuration));

        // After the silo's own hosted service, so the silo is up when definitions are loaded.
        builder.Services.AddHostedService<SiloStartup>();
        configure?.Invoke(builder);
        var app = builder.Build();

        app.UseExceptionHandler(error => error.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            return failure is BadHttpRequestException bad
                ? Problems.Write(context, StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, bad.Message)
                : Problems.Write(context, StatusCodes.Status500InternalServerError, ProblemCodes.Internal, "The silo failed to handle the request; it was logged.");
        }));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapRipcordHealth();
        app.MapRipcordApi();
        if (app.Services.GetRequiredService<IOptions<SampleAgentsOptions>>().Value.Enabled)
        {
            app.MapSimulatedCloud();
        }

        app.MapRipcordDashboard();
        app.MapOrleansDashboard("/orleans").RequireAuthorization(Roles.AdminPolicy);
        return app;
    }
}
