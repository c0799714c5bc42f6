using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ripcord.Client.Tests.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers like the Ripcord API (API.md shapes) and records every request.
/// Tests override any route with <see cref="On"/>; routes registered later win.
/// </summary>
public sealed class FakeRipcordServer : IAsyncDisposable
{
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly List<(string Method, string[] Segments, Func<HttpContext, RecordedRequest, Task> Handler)> _routes = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(Func<RecordedRequest, bool> Predicate, TaskCompletionSource<RecordedRequest> Waiter)> _waiters = [];
    private readonly Lock _lock = new();

    private FakeRipcordServer(WebApplication app)
    {
        _app = app;
        AddDefaultRoutes();
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When set, every /api call must carry <c>Bearer</c> with this key, else 401 unauthenticated.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>Tasks handed out by the poll endpoint, one per poll.</summary>
    public Channel<object> Assignments { get; } = Channel.CreateUnbounded<object>();

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeRipcordServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeRipcordServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Assignments.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Routes <paramref name="method"/> <paramref name="template"/> (segments like <c>{caseId}</c> match anything) to a handler.</summary>
    public void On(string method, string template, Func<HttpContext, RecordedRequest, Task> handler)
    {
        lock (_lock)
        {
            _routes.Add((method, template.Trim('/').Split('/'), handler));
        }
    }

    public void OnJson(string method, string template, int status, object? body) =>
        On(method, template, (context, _) => WriteJsonAsync(context, status, body));

    public void OnProblem(string method, string template, int status, string code, string detail) =>
        On(method, template, (context, _) => WriteProblemAsync(context, status, code, detail));

    /// <summary>Serves <paramref name="template"/> as an event stream; each client connection arrives in the returned channel.</summary>
    public Channel<SseConnection> OnSse(string template)
    {
        var connections = Channel.CreateUnbounded<SseConnection>();
        On("GET", template, async (context, request) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.FlushAsync(context.RequestAborted);
            var connection = new SseConnection(context, request);
            await connections.Writer.WriteAsync(connection);
            await Task.WhenAny(connection.Closed, Task.Delay(Timeout.Infinite, context.RequestAborted));
        });
        return connections;
    }

    /// <summary>Waits for a request matching <paramref name="predicate"/>, including one already received.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate)
    {
        lock (_lock)
        {
            var existing = _requests.FirstOrDefault(predicate);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            var waiter = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, waiter));
            return waiter.Task.WaitAsync(SafetyTimeout);
        }
    }

    public Task<RecordedRequest> WaitForRequestAsync(string method, string pathSuffix) =>
        WaitForRequestAsync(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    public static Task WriteJsonAsync(HttpContext context, int status, object? body)
    {
        context.Response.StatusCode = status;
        if (body is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        var text = body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web);
        return context.Response.WriteAsync(text);
    }

    public static Task WriteProblemAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var body = new { type = "https://ripcord.dev/problems/" + code, title = code.Replace('_', ' '), status, detail, code };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var segments = context.Request.Path.Value!.Trim('/').Split('/');
        (Func<HttpContext, RecordedRequest, Task> Handler, Dictionary<string, string> Values)? match = null;
        lock (_lock)
        {
            for (var i = _routes.Count - 1; i >= 0 && match is null; i--)
            {
                var route = _routes[i];
                if (route.Method == context.Request.Method && TryMatch(route.Segments, segments, out var values))
                {
                    match = (route.Handler, values);
                }
            }
        }

        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value!,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            match?.Values ?? [],
            body);
        Record(request);

        if (RequiredApiKey is not null && request.Authorization != "Bearer " + RequiredApiKey)
        {
            await WriteProblemAsync(context, 401, "unauthenticated", "Missing or unknown API key.");
            return;
        }

        if (match is null)
        {
            await WriteProblemAsync(context, 404, "not_found", $"No route for {request.Method} {request.Path}.");
            return;
        }

        await match.Value.Handler(context, request);
    }

    private void Record(RecordedRequest request)
    {
        List<TaskCompletionSource<RecordedRequest>> ready = [];
        lock (_lock)
        {
            _requests.Add(request);
            foreach (var waiter in _waiters.Where(w => w.Predicate(request)).ToList())
            {
                _waiters.Remove(waiter);
                ready.Add(waiter.Waiter);
            }
        }

        foreach (var waiter in ready)
        {
            waiter.TrySetResult(request);
        }
    }

    private static bool TryMatch(string[] template, string[] path, out Dictionary<string, string> values)
    {
        values = [];
        if (template.Length != path.Length)
        {
            return false;
        }

        for (var i = 0; i < template.Length; i++)
        {
            if (template[i].StartsWith('{'))
            {
                values[template[i].Trim('{', '}')] = Uri.UnescapeDataString(path[i]);
            }
            else if (!string.Equals(template[i], path[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void AddDefaultRoutes()
    {
        On("POST", "/api/v1/cases", (context, request) =>
        {
            var caseId = request.Json.TryGetProperty("caseId", out var id) ? id.GetString() : "c-1";
            return WriteJsonAsync(context, 201, new { caseId, status = "running" });
        });
        OnJson("GET", "/api/v1/cases", 200, new { cases = new[] { Samples.Summary("c-1", "running"), Samples.Summary("c-2", "cancelled") }, next = (string?)null });
        On("GET", "/api/v1/cases/{caseId}", (context, request) => WriteJsonAsync(context, 200, Samples.CaseJson(request.Route("caseId"), "running")));
        OnJson("POST", "/api/v1/cases/{caseId}/cancel", 202, new { alreadyClosed = false, status = "cancelling" });
        OnJson("POST", "/api/v1/cases/{caseId}/cancel/confirm", 200, new { alreadyClosed = false, status = "cancelling" });
        OnJson("POST", "/api/v1/cases/{caseId}/cancel/override", 200, new { alreadyClosed = false, status = "running" });
        OnJson("POST", "/api/v1/cases/{caseId}/tasks/{taskId}/cancel", 202, new { alreadyClosed = false });
        OnJson("POST", "/api/v1/cases/{caseId}/tasks/cancel", 202, new { alreadyClosed = false });
        OnJson("GET", "/api/v1/processes", 200, Samples.ProcessesJson);
        OnJson("GET", "/api/v1/me", 200, new { principal = "alice", roles = new[] { "operator", "viewer" }, readOnly = false });
        On("PUT", "/api/v1/processes/{name}", (context, request) => WriteJsonAsync(context, 200, request.Body));
        On("POST", "/api/v1/agents/{agentId}/poll", PollAsync);
        OnJson("POST", "/api/v1/tasks/{caseId}/{taskId}/heartbeat", 200, new { cancel = (object?)null });
        OnJson("POST", "/api/v1/tasks/{caseId}/{taskId}/complete", 200, new { accepted = true });
        OnJson("POST", "/api/v1/tasks/{caseId}/{taskId}/cancel-ack", 200, new { accepted = true });
        OnJson("POST", "/api/v1/tasks/{caseId}/{taskId}/fail", 200, new { accepted = true });
        OnJson("POST", "/api/v1/tasks/{caseId}/{taskId}/resources", 201, new { accepted = true });
        OnJson("DELETE", "/api/v1/tasks/{caseId}/{taskId}/resources/{resourceId}", 204, null);
    }

    private async Task PollAsync(HttpContext context, RecordedRequest request)
    {
        var wait = request.Json.TryGetProperty("waitSeconds", out var seconds) ? seconds.GetDouble() : 20;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Min(wait, 5)));
        try
        {
            var assignment = await Assignments.Reader.ReadAsync(timeout.Token);
            await WriteJsonAsync(context, 200, assignment);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            context.Response.StatusCode = context.RequestAborted.IsCancellationRequested ? 499 : 204;
        }
    }
}
