using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Ripcord.Silo.Hosting;

namespace Ripcord.Silo.Tests;

/// <summary>A real silo on Kestrel, bound to a free loopback port, for tests that speak HTTP to it.</summary>
public sealed class RunningSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private RunningSilo(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A cluster id no other silo group of this test run uses.</summary>
    public static string NewClusterId(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>
    /// Starts a silo. Unless <paramref name="settings"/> say otherwise, it takes free silo and gateway ports (so
    /// parallel test silos never meet on Orleans' 11111/30000) and a cluster id of its own; silos meant to form one
    /// cluster pass the same <c>Ripcord:Cluster:ClusterId</c>.
    /// </summary>
    public static async Task<RunningSilo> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var effective = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Ripcord:Cluster:SiloPort"] = "0",
            ["Ripcord:Cluster:GatewayPort"] = "0",
            ["Ripcord:Cluster:ClusterId"] = NewClusterId(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            effective[key] = value;
        }

        var app = SiloHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Testing"], configure, effective);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A start that failed half way may have opened the silo's ports: close what it opened, keep its error.
            await StopQuietlyAsync(app);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSilo(app, new Uri(address));
    }

    /// <summary>Stops the silo gracefully (its grains are handed to the rest of the cluster). Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or AggregateException)
        {
        }

        try
        {
            await app.DisposeAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or AggregateException or ObjectDisposedException)
        {
        }
    }
}
