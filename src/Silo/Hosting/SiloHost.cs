using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Ripcord.Silo.Api;
using Ripcord.Silo.Dashboard;
using Ripcord.Silo.SampleAgents;

namespace Ripcord.Silo.Hosting;

/// <summary>Builds the silo web application; shared by Program and the tests that run a real silo in process.</summary>
public static class SiloHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRipcordSilo(builder.Configuration);
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
        return app;
    }
}
