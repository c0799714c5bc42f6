using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;
using Xunit.Abstractions;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>
/// The three silos restarted one at a time with SIGTERM while cases start, agents work and operators cancel: a
/// client that retries as docs/api.md says (a 5xx or no answer: send it again, to another silo) sees no call fail,
/// and every case ends as its calls said it would.
/// </summary>
[Collection(SiloClusterCollection.Name)]
public sealed class RollingRestartTests(PostgresFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Agent = "roller";
    private const int MinimumCases = 60;
    private static readonly TimeSpan SafetyNet = TimeSpan.FromMinutes(4);

    private ProcessCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        // A short lease: a claim whose answer was lost with a stopping silo comes back to another agent soon.
        var roll = $$"""
            { "name": "roll", "nodes": [ { "id": "a", "agent": "{{Agent}}" }, { "id": "b", "agent": "{{Agent}}" } ], "edges": [ ["a", "b"] ],
              "leaseSeconds": 5, "cancel": { "ackTimeoutSeconds": 1, "gracePeriodSeconds": 1, "holdSeconds": 0 } }
            """;
        _cluster = await ProcessCluster.StartAsync(fixture, output, new Dictionary<string, string> { ["roll"] = roll });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RollingRestart_UnderLoad_NoRetriedCallFailsAndEveryCaseEndsAsItsCallsSaid()
    {
        var failures = new ConcurrentQueue<string>();
        var cancelled = new ConcurrentDictionary<string, bool>();
        var started = new ConcurrentQueue<string>();
        using var restarted = new CancellationTokenSource();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        // Operators: start cases until every silo was restarted, and cancel every third one once it has started.
        var operators = Task.Run(async () =>
        {
            for (var i = 0; i < MinimumCases || !restarted.IsCancellationRequested; i++)
            {
                var caseId = $"roll-{i}";
                var start = await _cluster.CallUntilAnsweredAsync(i, HttpMethod.Post, "/api/v1/cases", TestKeys.Operator, new { process = "roll", caseId, admins = new[] { "root" } });
                Expect(failures, $"start {caseId}", start, HttpStatusCode.Created, HttpStatusCode.OK);
                started.Enqueue(caseId);
                if (i % 3 == 0)
                {
                    var cancel = await _cluster.CallUntilAnsweredAsync(i, HttpMethod.Post, $"/api/v1/cases/{caseId}/cancel", TestKeys.Admin, new { reason = "rolling drill" });
                    Expect(failures, $"cancel {caseId}", cancel, HttpStatusCode.Accepted, HttpStatusCode.OK);
                    cancelled[caseId] = cancel.Status == HttpStatusCode.Accepted;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        });

        // Agents: claim, complete; a 409 means the task was cancelled or its lease moved on, which the case explains.
        var agents = Enumerable.Range(0, 4).Select(agent => Task.Run(async () =>
        {
            for (var turn = agent; !stop.IsCancellationRequested; turn++)
            {
                var claim = await _cluster.CallUntilAnsweredAsync(turn, HttpMethod.Post, $"/api/v1/agents/{Agent}-{agent}/poll", TestKeys.Agent, new { agents = new[] { Agent }, waitSeconds = 1 });
                Expect(failures, "poll", claim, HttpStatusCode.OK, HttpStatusCode.NoContent);
                if (claim.Status != HttpStatusCode.OK)
                {
                    continue;
                }

                var body = claim.Body;
                var task = $"/api/v1/tasks/{body.GetProperty("caseId").GetString()}/{body.GetProperty("taskId").GetString()}";
                var done = await _cluster.CallUntilAnsweredAsync(turn, HttpMethod.Post, task + "/complete", TestKeys.Agent, new { leaseToken = body.GetProperty("leaseToken").GetString(), output = new { by = agent } });
                Expect(failures, "complete " + task, done, HttpStatusCode.OK, HttpStatusCode.Conflict);
            }
        })).ToArray();

        // A stopping silo hands its activations, state included, to the others: none of them may fail to go.
        var failedHandovers = 0;
        for (var i = 0; i < _cluster.Silos.Count; i++)
        {
            failedHandovers += await _cluster.RestartAsync(i, "dehydrat");
        }

        await restarted.CancelAsync();

        await operators.WaitAsync(SafetyNet);
        output.WriteLine($"all silos restarted and every case started {clock.Elapsed.TotalSeconds:F1}s into the drill, {_cluster.Retried} calls retried so far");
        foreach (var caseId in started)
        {
            var expected = cancelled.TryGetValue(caseId, out var accepted) && accepted ? "cancelled" : "completed";
            await ClusterCalls.WaitForStatusAsync(_cluster.AnyServing().Http, caseId, expected, SafetyNet);
        }

        await stop.CancelAsync();
        await Task.WhenAll(agents).WaitAsync(SafetyNet);
        output.WriteLine($"every case ended {clock.Elapsed.TotalSeconds:F1}s into the drill; {_cluster.Retried} calls retried in all, {started.Count} cases, {cancelled.Count(c => c.Value)} cancelled");
        Assert.Empty(failures);
        Assert.Equal(0, failedHandovers);
    }

    private static void Expect(ConcurrentQueue<string> failures, string call, ApiCall.Reply reply, params HttpStatusCode[] allowed)
    {
        if (!allowed.Contains(reply.Status))
        {
            failures.Enqueue($"{call}: {(int)reply.Status} {reply.Text}");
        }
    }
}
