using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ripcord.Dashboard.Tests.Infrastructure;
using Ripcord.Silo.Dashboard;

namespace Ripcord.Dashboard.Tests.Fake;

/// <summary>
/// A stand-in for the silo's HTTP API (API.md plus the dashboard's extension endpoints), on Kestrel at 127.0.0.1 on
/// a free port, serving the real dashboard through <see cref="DashboardEndpoints.MapRipcordDashboard"/>. The test owns
/// its state: cases, the caller's roles, read-only mode, the SSE streams, and sees every write request.
/// </summary>
public sealed class FakeRipcordApi : IAsyncDisposable
{
    public const string AdminKey = "admin-key";
    public const string OperatorKey = "operator-key";
    public const string ViewerKey = "viewer-key";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _cases = new();
    private readonly ConcurrentDictionary<string, (string Principal, string[] Roles)> _keys = new()
    {
        [AdminKey] = ("alice", ["admin"]),
        [OperatorKey] = ("olga", ["operator"]),
        [ViewerKey] = ("victor", ["viewer"]),
    };

    private readonly Channel<RecordedRequest> _writes = Channel.CreateUnbounded<RecordedRequest>();
    private int _metricsSample;
    private int _orleansRequests;

    private FakeRipcordApi(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    public FakeEventStreams Streams { get; } = new();

    /// <summary>Read-only mode: /me says so and every write is refused with 403.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>When set, cancel requests are refused with 403 and this message (as the server does for missing case rights).</summary>
    public string? RefuseWritesWith { get; set; }

    /// <summary>False answers <c>GET /api/v1/me</c> with 404, as a silo without the extension endpoint would.</summary>
    public bool MeAvailable { get; set; } = true;

    public static async Task<FakeRipcordApi> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeRipcordApi(app);
        fake.Map();
        app.MapRipcordDashboard(new PhysicalFileProvider(RepositoryPaths.DashboardWebRoot));
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>The <c>ripcord_api_key</c> cookie of the last request to the stand-in Orleans dashboard (null: none sent).</summary>
    public string? LastOrleansCookie { get; private set; }

    /// <summary>How many requests reached the stand-in Orleans dashboard.</summary>
    public int OrleansRequests => _orleansRequests;

    public void RemoveKey(string key) => _keys.TryRemove(key, out _);

    public void PutCase(JsonObject fullCase) => _cases[(string)fullCase["caseId"]!] = fullCase;

    public JsonObject GetCase(string caseId) => _cases[caseId];

    /// <summary>Replaces the case and tells both streams, as the silo does after a turn commits.</summary>
    public void ChangeCase(JsonObject fullCase, string eventType)
    {
        PutCase(fullCase);
        var caseId = (string)fullCase["caseId"]!;
        var change = new JsonObject
        {
            ["caseId"] = caseId,
            ["process"] = fullCase["process"]!.DeepClone(),
            ["status"] = fullCase["status"]!.DeepClone(),
            ["type"] = eventType,
            ["at"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        Streams.Push(FakeEventStreams.Global, eventType, change.ToJsonString());
        var history = fullCase["history"]?.AsArray();
        var last = history is { Count: > 0 } ? history[^1]!.ToJsonString() : change.ToJsonString();
        Streams.Push(FakeEventStreams.ForCase(caseId), eventType, last);
    }

    /// <summary>The next write (POST) the dashboard sent.</summary>
    public async Task<RecordedRequest> NextWriteAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        return await _writes.Reader.ReadAsync(cts.Token);
    }

    public bool HasPendingWrites => _writes.Reader.TryPeek(out _);

    private void Map()
    {
        var stopping = _app.Lifetime.ApplicationStopping;

        // A stand-in for the silo's Orleans dashboard: a page that records the cookie the browser sent it.
        _app.MapGet("/orleans/{**rest}", (HttpContext context) =>
        {
            LastOrleansCookie = context.Request.Cookies.TryGetValue("ripcord_api_key", out var cookie) ? cookie : null;
            Interlocked.Increment(ref _orleansRequests);
            return Results.Content("<!doctype html><html lang=\"en\"><head><title>Orleans Dashboard</title><link rel=\"icon\" href=\"data:,\"></head><body><h1>Orleans Dashboard</h1></body></html>", "text/html; charset=utf-8");
        });

        var api = _app.MapGroup("/api/v1");
        api.AddEndpointFilter(async (context, next) =>
        {
            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
            if (!_keys.TryGetValue(key, out var principal))
            {
                return Problem(401, "unauthenticated", "Missing or unknown API key.");
            }

            context.HttpContext.Items["principal"] = principal;
            return await next(context);
        });

        api.MapGet("/me", (HttpContext context) =>
        {
            if (!MeAvailable)
            {
                return Results.NotFound();
            }

            var (name, roles) = Principal(context);
            return Results.Json(new { principal = name, roles, readOnly = ReadOnly });
        });
        api.MapGet("/processes", () => Results.Content(CannedData.Processes().ToJsonString(), "application/json"));
        api.MapGet("/cases", (string? status, string? process) =>
        {
            var list = new JsonArray(_cases.Values
                .Where(c => status is null || (string?)c["status"] == status)
                .Where(c => process is null || (string?)c["process"] == process)
                .Select(c => (JsonNode)CannedData.Summary(c)).ToArray());
            return Results.Content(new JsonObject { ["cases"] = list, ["next"] = null }.ToJsonString(), "application/json");
        });
        api.MapGet("/cases/{caseId}", (string caseId) => _cases.TryGetValue(caseId, out var c)
            ? Results.Content(c.ToJsonString(), "application/json")
            : Problem(404, "case_not_found", $"There is no case '{caseId}'."));
        api.MapGet("/cases/{caseId}/events", (HttpContext context, string caseId) => Streams.ServeAsync(context, FakeEventStreams.ForCase(caseId), stopping));
        api.MapGet("/events", (HttpContext context) => Streams.ServeAsync(context, FakeEventStreams.Global, stopping));
        api.MapGet("/metrics", () => Results.Content(CannedData.Metrics(Interlocked.Increment(ref _metricsSample)).ToJsonString(), "application/json"));
        api.MapGet("/cluster", () => Results.Content(CannedData.Cluster().ToJsonString(), "application/json"));

        api.MapPost("/cases/{caseId}/cancel", (HttpContext context, string caseId, JsonObject body) =>
            Write(context, "cancel-case", caseId, null, body, () => new { alreadyClosed = false, status = body["holdSeconds"] is JsonValue hold && hold.TryGetValue<double>(out var seconds) && seconds > 0 ? "cancel_pending" : "cancelling" }, 202));
        api.MapPost("/cases/{caseId}/cancel/confirm", (HttpContext context, string caseId, JsonObject body) =>
            Write(context, "confirm-cancel", caseId, null, body, () => new { alreadyClosed = false, status = "cancelling" }, 202));
        api.MapPost("/cases/{caseId}/cancel/override", (HttpContext context, string caseId, JsonObject body) =>
            Write(context, "override-cancel", caseId, null, body, () => new { alreadyClosed = false, status = "running" }, 200));
        api.MapPost("/cases/{caseId}/tasks/cancel", (HttpContext context, string caseId, JsonObject body) =>
            Write(context, "cancel-tasks", caseId, null, body, () => new { alreadyClosed = false }, 202));
        api.MapPost("/cases/{caseId}/tasks/{taskId}/cancel", (HttpContext context, string caseId, string taskId, JsonObject body) =>
            Write(context, "cancel-task", caseId, taskId, body, () => new { alreadyClosed = false }, 202));
        api.MapPost("/cases/{caseId}/purge", (HttpContext context, string caseId, JsonObject body) =>
            Write(context, "purge-case", caseId, null, body, () => new { redactedAt = "2026-11-21T09:30:00Z", redactedBy = Principal(context).Principal }, 202, adminOnly: true));
    }

    private IResult Write(HttpContext context, string kind, string caseId, string? taskId, JsonObject body, Func<object> answer, int status, bool adminOnly = false)
    {
        var (name, roles) = Principal(context);
        _writes.Writer.TryWrite(new RecordedRequest(kind, context.Request.Path, caseId, taskId, body, name));
        if (!_cases.ContainsKey(caseId))
        {
            return Problem(404, "case_not_found", $"There is no case '{caseId}'.");
        }

        if (ReadOnly)
        {
            return Problem(403, "forbidden", "The server is in read-only mode.");
        }

        if (!roles.Contains("admin") && (adminOnly || !roles.Contains("operator")))
        {
            return Problem(403, "forbidden", $"{name} may not {(adminOnly ? "purge" : "cancel")} cases.");
        }

        if (RefuseWritesWith is not null)
        {
            return Problem(403, "forbidden", RefuseWritesWith);
        }

        return Results.Json(answer(), statusCode: status);
    }

    private static (string Principal, string[] Roles) Principal(HttpContext context) => ((string, string[]))context.Items["principal"]!;

    private static IResult Problem(int status, string code, string detail) => Results.Json(
        new { type = "about:blank", title = code.Replace('_', ' '), status, detail, code },
        contentType: "application/problem+json",
        statusCode: status);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
