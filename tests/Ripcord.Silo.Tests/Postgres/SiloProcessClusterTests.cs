using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;
using Ripcord.Testing.Processes;
using Xunit.Abstractions;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>
/// Three real silo processes on one PostgreSQL database cancel 50 cases of 5 tasks while something strikes: a silo
/// killed, hung, two killed, PostgreSQL restarted. Every case ends cancelled and every resource is released once.
/// </summary>
[Collection(SiloClusterCollection.Name)]
public sealed class SiloProcessClusterTests(PostgresFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Agent = "worker-pg";
    private const int Cases = 50;
    private const int TasksPerCase = 5;

    /// <summary>Text of the log line a grain writes when a newer activation wrote first (an ETag conflict).</summary>
    private const string StaleWriteLine = "lost a write to another activation";

    /// <summary>A safety net, never the expected time.</summary>
    private static readonly TimeSpan DrillSafetyNet = TimeSpan.FromMinutes(4);

    private ProcessCluster? _cluster;

    private ProcessCluster Cluster => _cluster!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CancelFiftyCases_OneSiloKilledMidway_EveryCaseEndsCancelledAndEveryResourceIsReleasedOnceByKey(bool notifications)
    {
        await StartSilosAsync(notifications);

        await RunCancelDrillAsync(new Dictionary<int, Func<Task>>
        {
            [Cases / 2] = () => KillAsync(1),
        });

        Assert.False(Cluster.Silos[1].IsAlive);
        AssertAlive(0, 2);
    }

    [Fact]
    public async Task CancelFiftyCases_TwoSilosKilledOneAfterTheOther_TheLastSiloFinishesEveryCase()
    {
        await StartSilosAsync(notifications: true);

        await RunCancelDrillAsync(new Dictionary<int, Func<Task>>
        {
            [Cases / 3] = () => KillAsync(1),
            [2 * Cases / 3] = () => KillAsync(2),
        });

        Assert.False(Cluster.Silos[1].IsAlive);
        Assert.False(Cluster.Silos[2].IsAlive);
        AssertAlive(0);
    }

    /// <summary>
    /// SIGSTOP: the silo keeps its sockets open and answers nothing, so only probes find it out. Once the others
    /// declared it dead it is resumed: it finds itself dead and stops, and whatever its stale activations try to write
    /// is refused by the store (ETag conflicts, counted from its log), so nothing of theirs leaves.
    /// </summary>
    [Fact]
    public async Task CancelFiftyCases_OneSiloHungMidwayAndResumedLater_EveryCaseEndsCancelledAndTheResumedSiloStops()
    {
        await StartSilosAsync(notifications: true);
        var hung = Cluster.Silos[1];

        await RunCancelDrillAsync(
            new Dictionary<int, Func<Task>>
            {
                [Cases / 2] = async () =>
                {
                    await hung.SuspendAsync();
                    output.WriteLine($"{hung.Name} hung (SIGSTOP)");
                },
            },
            afterCancels: async () =>
            {
                var declared = await Cluster.WaitUntilDeclaredDeadAsync(hung, DrillSafetyNet);
                output.WriteLine($"{hung.Name} declared dead {declared.TotalSeconds:F1}s after the last cancel was answered");
                await hung.ResumeAsync();
                output.WriteLine($"{hung.Name} resumed (SIGCONT)");
            });

        // A silo that its cluster declared dead does not come back into it: it stops itself.
        await hung.Exited.WaitAsync(DrillSafetyNet);
        output.WriteLine($"{hung.Name} exited after SIGCONT; ETag conflicts in its log: {hung.CountLines(StaleWriteLine)}");
        AssertAlive(0, 2);
        await AssertEveryCaseCancelledAsync();
    }

    [Fact]
    public async Task CancelFiftyCases_PostgresRestartsMidway_SilosReconnectAndEveryCaseEndsCancelled()
    {
        await StartSilosAsync(notifications: true);

        await RunCancelDrillAsync(new Dictionary<int, Func<Task>>
        {
            [Cases / 2] = () => fixture.Server.RestartAsync(),
        });

        AssertAlive(0, 1, 2);
    }

    private async Task StartSilosAsync(bool notifications)
    {
        var nodes = string.Join(", ", Enumerable.Range(1, TasksPerCase).Select(i => $$"""{ "id": "t{{i}}", "agent": "{{Agent}}" }"""));

        // The drill's agents claim and register, then never heartbeat: the lease outlasts the drill, so every task
        // is claimed once however long the 250 claims take on a loaded machine (the default lease is 15 s).
        var five = $$"""
            { "name": "five", "nodes": [ {{nodes}} ], "edges": [], "leaseSeconds": 900,
              "cancel": { "ackTimeoutSeconds": 1, "gracePeriodSeconds": 1, "holdSeconds": 0 } }
            """;
        _cluster = await ProcessCluster.StartAsync(fixture, output, new Dictionary<string, string> { ["five"] = five }, configure: settings =>
            settings["Ripcord:Store:Postgres:NotificationsEnabled"] = notifications ? "true" : "false");
    }

    private Task KillAsync(int index)
    {
        Cluster.Silos[index].Kill();
        output.WriteLine($"{Cluster.Silos[index].Name} killed (SIGKILL)");
        return Task.CompletedTask;
    }

    private void AssertAlive(params int[] indexes)
    {
        foreach (var i in indexes)
        {
            var silo = Cluster.Silos[i];
            Assert.True(silo.IsAlive, $"{silo.Name} died:\n{silo.Output}");
        }
    }

    /// <summary>
    /// Starts 50 cases of 5 tasks, lets agents claim every task and register a resource each, then cancels every
    /// case through the silos in turn; each of <paramref name="strikes"/> strikes before the cancel of its number.
    /// </summary>
    private async Task RunCancelDrillAsync(IReadOnlyDictionary<int, Func<Task>> strikes, Func<Task>? afterCancels = null)
    {
        await using var webhooks = await ReleaseReceiver.StartAsync();
        var caseIds = Enumerable.Range(0, Cases).Select(i => $"drill-{i}").ToList();
        for (var i = 0; i < Cases; i++)
        {
            var started = await Cluster.CallAsync(i, HttpMethod.Post, "/api/v1/cases", TestKeys.Operator, new { process = "five", caseId = caseIds[i], input = new { n = i }, admins = new[] { "root" } });
            Assert.True(started.Status == HttpStatusCode.Created, $"start {caseIds[i]}: {started.Status} {started.Text}");
        }

        // Agents on every silo claim all 250 tasks and register one resource each, released by webhook.
        var claiming = Stopwatch.StartNew();
        var resources = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(agent => Task.Run(async () =>
        {
            for (var poll = agent; resources.Count < Cases * TasksPerCase; poll++)
            {
                var claim = await Cluster.CallAsync(poll, HttpMethod.Post, $"/api/v1/agents/agent-{agent}/poll", TestKeys.Agent, new { agents = new[] { Agent }, waitSeconds = 1 });
                if (claim.Status != HttpStatusCode.OK)
                {
                    continue;
                }

                var body = claim.Body;
                var caseId = body.GetProperty("caseId").GetString()!;
                var taskId = body.GetProperty("taskId").GetString()!;
                var resourceId = $"{caseId}-{taskId}";
                Assert.True(body.GetProperty("attempt").GetInt32() == 1, $"{resourceId} claimed again (attempt {body.GetProperty("attempt")}) {claiming.Elapsed.TotalSeconds:F1}s into the claims");
                var registered = await Cluster.CallAsync(poll, HttpMethod.Post, $"/api/v1/tasks/{caseId}/{taskId}/resources", TestKeys.Agent, new
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

        // A cancel is idempotent: a client whose call failed (the store away, a grain's silo just killed or hung)
        // simply sends it again, here to the next silo that serves. Every cancel must end answered as accepted.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            if (strikes.TryGetValue(i, out var strike))
            {
                await strike();
                clock.Restart();
            }

            var cancel = await Cluster.CallUntilAnsweredAsync(i, HttpMethod.Post, $"/api/v1/cases/{caseIds[i]}/cancel", TestKeys.Admin, new { mode = "force", reason = "cluster drill" });
            Assert.True(cancel.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, $"cancel {caseIds[i]}: {cancel.Status} {cancel.Text}");
        }

        output.WriteLine($"cancels after the last strike answered in {clock.Elapsed.TotalSeconds:F1}s, {Cluster.Retried} calls retried");
        if (afterCancels is not null)
        {
            await afterCancels();
        }

        await Task.WhenAll(resources.Select(id => webhooks.Released(id, DrillSafetyNet)));
        output.WriteLine($"every resource released {clock.Elapsed.TotalSeconds:F1}s after the last strike");
        await AssertEveryCaseCancelledAsync();
        output.WriteLine($"every case cancelled {clock.Elapsed.TotalSeconds:F1}s after the last strike");

        // The outbox is at least once: a release a lost silo had sent but not yet recorded is delivered again,
        // with the same key. Every resource is released exactly once by key, never in two attempts.
        Assert.Equal(Cases * TasksPerCase, resources.Distinct().Count());
        Assert.All(resources, id => Assert.Equal(1, webhooks.Releases(id)));
        output.WriteLine($"redelivered release calls: {resources.Sum(id => webhooks.Deliveries(id) - 1)} of {resources.Count}");
    }

    private async Task AssertEveryCaseCancelledAsync()
    {
        for (var i = 0; i < Cases; i++)
        {
            var view = await ClusterCalls.WaitForStatusAsync(Cluster.AnyServing().Http, $"drill-{i}", "cancelled", DrillSafetyNet);
            Assert.All(view.GetProperty("resources").EnumerateArray(), r => Assert.Equal("released", r.GetProperty("status").GetString()));
        }
    }
}
