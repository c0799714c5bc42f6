using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Ripcord.Dashboard.Tests.Infrastructure;
using Ripcord.Silo.Dashboard;
using Ripcord.Silo.Hosting;
using Ripcord.Silo.Security;

namespace Ripcord.Dashboard.Tests.RealSilo;

/// <summary>
/// A real silo (in-memory store, sample agents) on 127.0.0.1 and a free port, with the dashboard served from the
/// source folder and three API keys: admin, operator and viewer. Its Orleans silo and gateway ports are free ones
/// too (<c>Ripcord:Cluster:SiloPort=0</c>, <c>GatewayPort=0</c>), so it runs beside any other silo on the machine.
/// </summary>
public sealed class RealSiloHost : IAsyncDisposable
{
    public const string AdminKey = "real-admin-key";
    public const string OperatorKey = "real-operator-key";
    public const string ViewerKey = "real-viewer-key";
    public const string AgentKey = "real-agent-key";

    /// <summary>The configuration key of the silo's read-only mode (issue 6 §3).</summary>
    public const string ReadOnlySetting = "Ripcord:Auth:ReadOnly";

    /// <summary>Settings given to <see cref="SiloHost.Build"/> before it registers the silo's services.</summary>
    private static readonly KeyValuePair<string, string?>[] FreePorts =
    [
        new("Ripcord:Cluster:SiloPort", "0"),
        new("Ripcord:Cluster:GatewayPort", "0"),
    ];

    private readonly WebApplication _app;

    private RealSiloHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<RealSiloHost> StartAsync(bool readOnly = false)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Testing",
            "--webroot", RepositoryPaths.DashboardWebRoot,
            "--Ripcord:SampleAgents:Enabled", "true",
            "--Ripcord:Auth:ApiKeys:0:Key", AdminKey, "--Ripcord:Auth:ApiKeys:0:Principal", "alice", "--Ripcord:Auth:ApiKeys:0:Roles:0", "admin",
            "--Ripcord:Auth:ApiKeys:1:Key", OperatorKey, "--Ripcord:Auth:ApiKeys:1:Principal", "olga", "--Ripcord:Auth:ApiKeys:1:Roles:0", "operator",
            "--Ripcord:Auth:ApiKeys:2:Key", ViewerKey, "--Ripcord:Auth:ApiKeys:2:Principal", "victor", "--Ripcord:Auth:ApiKeys:2:Roles:0", "viewer",
            "--Ripcord:Auth:ApiKeys:3:Key", AgentKey, "--Ripcord:Auth:ApiKeys:3:Principal", "sample-agents", "--Ripcord:Auth:ApiKeys:3:Roles:0", "agent",
            "--Ripcord:SampleAgents:ApiKey", AgentKey,
            "--" + ReadOnlySetting, readOnly ? "true" : "false",
        ];
        var app = SiloHost.Build(args, settings: FreePorts);
        app.MapRipcordDashboard();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RealSiloHost(app, address);
    }

    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A client without credentials, cookie jar or redirects: each request carries only the headers it is given.</summary>
    public HttpClient AnonymousClient() =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };

    /// <summary>GET <paramref name="path"/> with <c>Cookie: ripcord_api_key=&lt;cookieValue&gt;</c> (as written, not encoded) and nothing else.</summary>
    public async Task<HttpResponseMessage> GetWithKeyCookieAsync(string path, string cookieValue, string? bearer = null)
    {
        using var client = AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{ApiKeyAuthenticationHandler.CookieName}={cookieValue}");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> StartCaseAsync(string process, string caseId, string apiKey = AdminKey)
    {
        using var client = Client(apiKey);
        var body = new JsonObject { ["process"] = process, ["caseId"] = caseId, ["input"] = new JsonObject { ["topic"] = "dashboard test" } };
        return await client.PostAsJsonAsync("/api/v1/cases", body);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
