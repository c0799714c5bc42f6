using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ripcord.Silo.Hosting;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// A real silo as <c>src/Silo</c> runs it (Kestrel, the API, the agent gateway, the in-memory store), on a free
/// loopback port, with free Orleans ports, the sample agents off and one API key per role the suites use.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key";
    public const string AgentKey = "bench-agent-key";

    private readonly WebApplication _app;

    private BenchSilo(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Admin = Client(address, AdminKey);
        Agent = Client(address, AgentKey);
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Speaks as the admin (start cases, cancel them, register processes).</summary>
    public HttpClient Admin { get; }

    /// <summary>Speaks as an agent (poll, signal stream, acknowledgements).</summary>
    public HttpClient Agent { get; }

    /// <param name="configure">Runs after the silo's services are registered (to observe some).</param>
    /// <param name="store">The store's settings (<see cref="BenchStore.NewClusterSettings"/>, the cluster's); in memory when null.</param>
    public static async Task<BenchSilo> StartAsync(Action<WebApplicationBuilder>? configure = null, IReadOnlyDictionary<string, string?>? store = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ripcord:Auth:ApiKeys:0:Key"] = AdminKey,
            ["Ripcord:Auth:ApiKeys:0:Principal"] = "bench",
            ["Ripcord:Auth:ApiKeys:0:Roles:0"] = "admin",
            ["Ripcord:Auth:ApiKeys:1:Key"] = AgentKey,
            ["Ripcord:Auth:ApiKeys:1:Principal"] = "bench-agents",
            ["Ripcord:Auth:ApiKeys:1:Roles:0"] = "agent",
            ["Ripcord:SampleAgents:Enabled"] = "false",
            ["Ripcord:Cluster:SiloPort"] = "0",
            ["Ripcord:Cluster:GatewayPort"] = "0",
            ["Ripcord:Store:Kind"] = "InMemory",
        };
        foreach (var (key, value) in store ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = SiloHost.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"], builder =>
        {
            QuietLogging(builder.Logging);
            configure?.Invoke(builder);
        }, settings);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchSilo(app, new Uri(address));
    }

    /// <summary>Warnings and errors only, so the console does not compete with what is measured.</summary>
    public static void QuietLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.SetMinimumLevel(LogLevel.Warning);
    }

    public async Task RegisterProcessAsync(string name, string definition)
    {
        using var content = new StringContent(definition, Encoding.UTF8, "application/json");
        using var response = await Admin.PutAsync(new Uri($"/api/v1/processes/{name}", UriKind.Relative), content);
        await EnsureSuccessAsync(response);
    }

    /// <summary>Throws with the problem body when the silo refused a request.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Agent.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
