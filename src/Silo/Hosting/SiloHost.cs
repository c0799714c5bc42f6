using Ripcord.Runtime;

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
        app.MapRipcordHealth();
        return app;
    }
}
