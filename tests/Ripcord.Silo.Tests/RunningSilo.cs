using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Ripcord.Silo.Hosting;

namespace Ripcord.Silo.Tests;

/// <summary>A real silo on Kestrel, bound to a free loopback port, for tests that speak HTTP to it.</summary>
public sealed class RunningSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningSilo(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningSilo> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var app = SiloHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], configure, settings);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSilo(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
