using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
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

    /// <summary>
    /// Safety nets, never the expected time. Orleans declares a SIGKILLed silo dead only after several missed probes
    /// (default membership settings), and its grains answer from the other silos after that.
    /// </summary>
    private static readonly TimeSpan CallSafetyNet = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan DrillSafetyNet = TimeSpan.FromMinutes(4);

    private readonly List<SiloProcess> _silos = [];
    private readonly string _processes = Path.Combine(Path.GetTempPath(), "ripcord-processes-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_processes);
        var nodes = string.Join(", ", Enumerable.Range(1, TasksPerCase).Select(i => $$"""{ "id": "t{{i}}", "agent": "{{Agent}}" }"""));

        // The drill's agents claim and register, then never heartbeat: the lease outlasts the drill, so every task
        // is claimed once however long the 250 claims take on a loaded machine (the default lease is 15 s).
        await File.WriteAllTextAsync(Path.Combine(_processes, "five.json"), $$"""
            { "name": "five", "nodes": [ {{nodes}} ], "edges": [], "leaseSeconds": 900,
              "cancel": { "ackTimeoutSeconds": 1, "gracePeriodSeconds": 1, "holdSeconds": 0 } }
            """);
    }

    private async Task StartSilosAsync(bool notifications)
    {
        var schema = fixture.NewSchema();
        var clusterId = RunningSilo.NewClusterId("proc");
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= 3; i++)
        {
            var settings = PostgresSilos.Settings(fixture, schema, clusterId, $"proc-{i}");
            settings["Ripcord:Store:Postgres:NotificationsEnabled"] = notifications ? "true" : "false";
            settings["Ripcord:Processes:Path"] = _processes;
            _silos.Add(await SiloProcess.StartAsync($"proc-{i}", settings));
            output.WriteLine($"proc-{i} ready after {clock.Elapsed.TotalSeconds:F1}s");
        }
    }

    public async Task DisposeAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        Directory.Delete(_processes, recursive: true);
        output.WriteLine($"silos stopped in {clock.Elapsed.TotalSeconds:F1}s");
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
        Assert.All([_silos[0], _silos[2]], s => Assert.True(s.IsAlive, $"{s.Name} died:\n{s.Output}"));
    }

    [Fact]
    public async Task CancelFiftyCases_PostgresRestartsMidway_SilosReconnectAndEveryCaseEndsCancelled()
    {
        await StartSilosAsync(notifications: true);

        await RunCancelDrillAsync(() => fixture.Server.RestartAsync());

        Assert.All(_silos, s => Assert.True(s.IsAlive, $"{s.Name} died:\n{s.Output}"));
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
        var claiming = Stopwatch.StartNew();
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
                Assert.True(body.GetProperty("attempt").GetInt32() == 1, $"{resourceId} claimed again (attempt {body.GetProperty("attempt")}) {claiming.Elapsed.TotalSeconds:F1}s into the claims");
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
        })).ToArray()).WaitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"{resources.Count} tasks claimed in {claiming.Elapsed.TotalSeconds:F1}s");

        var clock = Stopwatch.StartNew();
        var retried = 0;
        for (var i = 0; i < Cases; i++)
        {
            if (i == Cases / 2)
            {
                await halfway();
                clock.Restart();
            }

            // A cancel is idempotent: a client whose call failed (the store away, a grain's silo just killed)
            // simply sends it again, here to the next live silo.
            var (cancel, attempts) = await CallUntilAnsweredAsync(i, HttpMethod.Post, $"/api/v1/cases/{caseIds[i]}/cancel", TestKeys.Admin, new { mode = "force", reason = "cluster drill" });
            retried += attempts - 1;
            Assert.True(cancel.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, $"cancel {caseIds[i]}: {cancel.Status} {cancel.Text}");
        }

        output.WriteLine($"second half of the cancels sent in {clock.Elapsed.TotalSeconds:F1}s, {retried} retried calls");
        await Task.WhenAll(resources.Select(id => webhooks.Released(id, DrillSafetyNet)));
        output.WriteLine($"every resource released {clock.Elapsed.TotalSeconds:F1}s after the strike");
        foreach (var caseId in caseIds)
        {
            var view = await ClusterCalls.WaitForStatusAsync(_silos[0].Http, caseId, "cancelled", DrillSafetyNet);
            Assert.All(view.GetProperty("resources").EnumerateArray(), r => Assert.Equal("released", r.GetProperty("status").GetString()));
        }

        output.WriteLine($"every case cancelled {clock.Elapsed.TotalSeconds:F1}s after the strike");

        // The outbox is at least once: a release the dead silo had sent but not yet recorded is delivered again,
        // with the same key. Every resource is released exactly once by key, never in two attempts.
        Assert.Equal(Cases * TasksPerCase, resources.Distinct().Count());
        Assert.All(resources, id => Assert.Equal(1, webhooks.Releases(id)));
        output.WriteLine($"redelivered release calls: {resources.Sum(id => webhooks.Deliveries(id) - 1)} of {resources.Count}");
    }

    /// <summary>
    /// Sends the call until a silo answers it with less than 500 (a 503 is a grain call the silo was unsure of),
    /// moving to the next live silo after each failure and pausing briefly; gives the last answer after the safety net.
    /// </summary>
    private async Task<(ApiCall.Reply Reply, int Attempts)> CallUntilAnsweredAsync(int turn, HttpMethod method, string path, string key, object? body)
    {
        var deadline = DateTimeOffset.UtcNow + CallSafetyNet;
        for (var attempt = 1; ; attempt++)
        {
            ApiCall.Reply reply;
            try
            {
                reply = await CallAsync(turn + attempt - 1, method, path, key, body);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                reply = new ApiCall.Reply(HttpStatusCode.ServiceUnavailable, null, e.Message);
            }

            if ((int)reply.Status < 500 || DateTimeOffset.UtcNow > deadline)
            {
                return (reply, attempt);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)));
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
                return await ClusterCalls.SendAsync(silo.Http, method, path, key, body);
            }
        }

        throw new InvalidOperationException("No silo is alive.");
    }
}
