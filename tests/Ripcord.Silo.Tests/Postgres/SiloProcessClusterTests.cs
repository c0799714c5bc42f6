using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;
using Xunit.Abstractions;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>Three real silo processes on one PostgreSQL database, one of them killed with SIGKILL mid-way.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class SiloProcessClusterTests(PostgresFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Agent = "worker-pg";
    private const int Cases = 50;
    private const int TasksPerCase = 5;

    private readonly List<SiloProcess> _silos = [];
    private readonly string _processes = Path.Combine(Path.GetTempPath(), "ripcord-processes-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_processes);
        var nodes = string.Join(", ", Enumerable.Range(1, TasksPerCase).Select(i => $$"""{ "id": "t{{i}}", "agent": "{{Agent}}" }"""));
        await File.WriteAllTextAsync(Path.Combine(_processes, "five.json"), $$"""
            { "name": "five", "nodes": [ {{nodes}} ], "edges": [],
              "cancel": { "ackTimeoutSeconds": 1, "gracePeriodSeconds": 1, "holdSeconds": 0 } }
            """);
    }

    private async Task StartSilosAsync(bool notifications)
    {
        var schema = fixture.NewSchema();
        for (var i = 1; i <= 3; i++)
        {
            var settings = TestKeys.Settings();
            settings["Ripcord:Store:Kind"] = "Postgres";
            settings["Ripcord:Store:Postgres:ConnectionString"] = fixture.ConnectionString;
            settings["Ripcord:Store:Postgres:SchemaName"] = schema;
            settings["Ripcord:Store:Postgres:NotificationsEnabled"] = notifications ? "true" : "false";
            settings["Ripcord:Store:Postgres:HeartbeatInterval"] = "00:00:00.5";
            settings["Ripcord:Store:Postgres:LeaseDuration"] = "00:00:03";
            settings["Ripcord:Store:Postgres:MaintenanceInterval"] = "00:00:01";
            settings["Ripcord:Runtime:SiloId"] = $"proc-{i}";
            settings["Ripcord:Runtime:PollInterval"] = "00:00:00.2";
            settings["Ripcord:Processes:Path"] = _processes;
            _silos.Add(await SiloProcess.StartAsync($"proc-{i}", settings));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        Directory.Delete(_processes, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CancelFiftyCases_OneSiloKilledMidway_EveryCaseEndsCancelledAndEveryResourceIsReleasedOnceByKey(bool notifications)
    {
        await StartSilosAsync(notifications);

        await RunCancelDrillAsync(() =>
        {
            _silos[1].Kill();
            return Task.CompletedTask;
        });

        Assert.False(_silos[1].IsAlive);
    }

    [Fact]
    public async Task CancelFiftyCases_PostgresRestartsMidway_SilosReconnectAndEveryCaseEndsCancelled()
    {
        await StartSilosAsync(notifications: true);

        await RunCancelDrillAsync(() => fixture.Server.RestartAsync());

        Assert.All(_silos, s => Assert.True(s.IsAlive));
    }

    /// <summary>
    /// Starts 50 cases of 5 tasks, lets agents claim every task and register a resource each, then cancels every
    /// case through the silos in turn, with <paramref name="halfway"/> striking after half of the cancels.
    /// </summary>
    private async Task RunCancelDrillAsync(Func<Task> halfway)
    {
        await using var webhooks = await ReleaseReceiver.StartAsync();
        var caseIds = Enumerable.Range(0, Cases).Select(i => $"drill-{i}").ToList();
        for (var i = 0; i < Cases; i++)
        {
            var started = await CallAsync(i, HttpMethod.Post, "/api/v1/cases", TestKeys.Operator, new { process = "five", caseId = caseIds[i], input = new { n = i }, admins = new[] { "root" } });
            Assert.True(started.Status == HttpStatusCode.Created, $"start {caseIds[i]}: {started.Status} {started.Text}");
        }

        // Agents on every silo claim all 250 tasks and register one resource each, released by webhook.
        var resources = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(agent => Task.Run(async () =>
        {
            for (var poll = agent; resources.Count < Cases * TasksPerCase; poll++)
            {
                var claim = await CallAsync(poll, HttpMethod.Post, $"/api/v1/agents/agent-{agent}/poll", TestKeys.Agent, new { agents = new[] { Agent }, waitSeconds = 1 });
                if (claim.Status != HttpStatusCode.OK)
                {
                    continue;
                }

                var body = claim.Body;
                var caseId = body.GetProperty("caseId").GetString()!;
                var taskId = body.GetProperty("taskId").GetString()!;
                var resourceId = $"{caseId}-{taskId}";
                var registered = await CallAsync(poll, HttpMethod.Post, $"/api/v1/tasks/{caseId}/{taskId}/resources", TestKeys.Agent, new
                {
                    leaseToken = body.GetProperty("leaseToken").GetString(),
                    resourceId,
                    kind = "vm",
                    release = new { type = "webhook", url = webhooks.UrlFor(resourceId), method = "DELETE" },
                });
                Assert.True(registered.Status == HttpStatusCode.OK, $"register {resourceId}: {registered.Status} {registered.Text}");
                resources.Add(resourceId);
            }
        })).ToArray()).WaitAsync(TimeSpan.FromMinutes(2));

        for (var i = 0; i < Cases; i++)
        {
            if (i == Cases / 2)
            {
                await halfway();
            }

            // A cancel is idempotent: a client whose call failed while the store was away simply sends it again.
            var cancel = await CallAsync(i, HttpMethod.Post, $"/api/v1/cases/{caseIds[i]}/cancel", TestKeys.Admin, new { mode = "force", reason = "cluster drill" });
            for (var retry = 0; (int)cancel.Status >= 500 && retry < 30; retry++)
            {
                cancel = await CallAsync(i + retry + 1, HttpMethod.Post, $"/api/v1/cases/{caseIds[i]}/cancel", TestKeys.Admin, new { mode = "force", reason = "cluster drill" });
            }

            Assert.True(cancel.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, $"cancel {caseIds[i]}: {cancel.Status} {cancel.Text}");
        }

        await Task.WhenAll(resources.Select(webhooks.Released));
        foreach (var caseId in caseIds)
        {
            var view = await WaitForStatusAsync(caseId, "cancelled");
            Assert.All(view.GetProperty("resources").EnumerateArray(), r => Assert.Equal("released", r.GetProperty("status").GetString()));
        }

        // The outbox is at least once: a release the dead silo had sent but not yet recorded is delivered again,
        // with the same key. Every resource is released exactly once by key, never in two attempts.
        Assert.Equal(Cases * TasksPerCase, resources.Distinct().Count());
        Assert.All(resources, id => Assert.Equal(1, webhooks.Releases(id)));
        output.WriteLine($"redelivered release calls: {resources.Sum(id => webhooks.Deliveries(id) - 1)} of {resources.Count}");
    }

    /// <summary>Reads the case after each of its history events until it has the status.</summary>
    private async Task<JsonElement> WaitForStatusAsync(string caseId, string status)
    {
        var silo = _silos[0];
        await using var events = await SseStream.OpenAsync(silo.Http, $"/api/v1/cases/{caseId}/events", TestKeys.Viewer);
        while (true)
        {
            var view = (await SendAsync(silo, HttpMethod.Get, $"/api/v1/cases/{caseId}", TestKeys.Viewer, null)).Body;
            if (view.GetProperty("status").GetString() == status)
            {
                return view;
            }

            await events.NextAsync("history");
        }
    }

    /// <summary>Calls the <paramref name="turn"/>-th silo (round robin), or the next live one when that one is dead.</summary>
    private async Task<ApiCall.Reply> CallAsync(int turn, HttpMethod method, string path, string key, object? body)
    {
        for (var i = 0; i < _silos.Count; i++)
        {
            var silo = _silos[(turn + i) % _silos.Count];
            if (silo.IsAlive)
            {
                return await SendAsync(silo, method, path, key, body);
            }
        }

        throw new InvalidOperationException("No silo is alive.");
    }

    private static async Task<ApiCall.Reply> SendAsync(SiloProcess silo, HttpMethod method, string path, string key, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: JsonSerializerOptions.Web);
        }

        using var response = await silo.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : null;
        return new ApiCall.Reply(response.StatusCode, json, text);
    }
}
