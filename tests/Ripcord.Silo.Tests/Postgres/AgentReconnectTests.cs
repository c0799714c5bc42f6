using System.Net;
using System.Text.Json;
using Ripcord.Silo.Tests.Api;
using Ripcord.Testing.Postgres;
using Ripcord.Testing.Processes;
using Xunit.Abstractions;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>An agent whose silo dies reconnects to another and still gets its cancel pushed (real silo processes).</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class AgentReconnectTests(PostgresFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Agent = "roamer";

    private ProcessCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        // The ack timeout is long, so no re-emitted signal can stand in for the one that was waiting.
        var roam = $$"""
            { "name": "roam", "nodes": [ { "id": "work", "agent": "{{Agent}}" } ], "edges": [], "leaseSeconds": 900,
              "cancel": { "ackTimeoutSeconds": 600, "gracePeriodSeconds": 600, "holdSeconds": 0 } }
            """;
        _cluster = await ProcessCluster.StartAsync(fixture, output, new Dictionary<string, string> { ["roam"] = roam });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task CancelTask_AgentSiloKilledBeforeTheCancel_AgentReconnectsElsewhereAndIsPushedTheCancel()
    {
        var silos = _cluster.Silos;
        var started = await _cluster.CallUntilAnsweredAsync(0, HttpMethod.Post, "/api/v1/cases", TestKeys.Operator, new { process = "roam", caseId = "roam-1" });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        var claim = await ClusterCalls.SendAsync(silos[1].Http, HttpMethod.Post, $"/api/v1/agents/{Agent}-1/poll", TestKeys.Agent, new { agents = new[] { Agent }, waitSeconds = 20 });
        Assert.Equal(HttpStatusCode.OK, claim.Status);
        var lease = claim.Body.GetProperty("leaseToken").GetString();

        // The agent's stream is on silo 2, which dies with it still open.
        var first = await SseStream.OpenAsync(silos[1].Http, $"/api/v1/agents/{Agent}-1/signals", TestKeys.Agent);
        silos[1].Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => first.NextAsync("cancel", TimeSpan.FromMinutes(1)));
        await first.DisposeAsync();

        // Once the others have declared it dead, every grain it held (the agent's signal grain among them) has one
        // activation again; before that, two silos may each start one.
        await _cluster.WaitUntilDeclaredDeadAsync(silos[1], TimeSpan.FromMinutes(2));

        var cancel = await _cluster.CallUntilAnsweredAsync(2, HttpMethod.Post, "/api/v1/cases/roam-1/tasks/work/cancel", TestKeys.Operator, new { reason = "its silo died" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);

        // It reconnects to another silo: the cancel waiting for it is pushed there.
        await using var second = await ReconnectAsync(silos[2], $"/api/v1/agents/{Agent}-1/signals");
        var pushed = JsonDocument.Parse((await second.NextAsync("cancel", TimeSpan.FromMinutes(1))).Data).RootElement;
        Assert.Equal(("roam-1", "work", "its silo died"), (pushed.GetProperty("caseId").GetString(), pushed.GetProperty("taskId").GetString(), pushed.GetProperty("reason").GetString()));

        var ack = await _cluster.CallUntilAnsweredAsync(2, HttpMethod.Post, "/api/v1/tasks/roam-1/work/cancel-ack", TestKeys.Agent, new { leaseToken = lease });
        Assert.True(ack.Status == HttpStatusCode.OK, $"cancel-ack: {ack.Status} {ack.Text}");
        await ClusterCalls.WaitForCaseAsync(silos[2].Http, "roam-1", v => TaskStatus(v, "work") == "cancelled", TimeSpan.FromMinutes(2));
    }

    private static string? TaskStatus(JsonElement view, string taskId) =>
        view.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("taskId").GetString() == taskId).GetProperty("status").GetString();

    /// <summary>
    /// Opens the agent's signal stream on <paramref name="silo"/> as an agent reconnects: a 503 (the cluster has not
    /// yet moved the agent's signal grain off the dead silo) is tried again after a short pause.
    /// </summary>
    private static async Task<SseStream> ReconnectAsync(SiloProcess silo, string path)
    {
        var deadline = DateTimeOffset.UtcNow + ProcessCluster.CallSafetyNet;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SseStream.OpenAsync(silo.Http, path, TestKeys.Agent);
            }
            catch (HttpRequestException e) when (e.Message.Contains("answered 503", StringComparison.Ordinal) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)));
            }
        }
    }
}
