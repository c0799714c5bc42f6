using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>
/// Over HTTP: an agent saves checkpoints on its heartbeats; a cancelled task's fallback starts when the checkpoint wait
/// runs out even though the agent never acknowledges, with the latest checkpoint; oversized checkpoints are refused.
/// </summary>
public sealed class CheckpointWaitTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    [Theory]
    [InlineData(0)]
    [InlineData(0.5)]
    public async Task The_fallback_starts_with_the_latest_heartbeat_checkpoint_while_the_generator_ignores_its_cancel(double wait)
    {
        var suffix = "wait-" + Guid.NewGuid().ToString("N")[..6];
        var (caseId, lease) = await ClaimGenerateAsync(suffix, wait);
        var task = $"/api/v1/tasks/{caseId}/generate";
        Assert.Equal(HttpStatusCode.OK, (await _silo.PostAsync(task + "/heartbeat", TestKeys.Agent, new { leaseToken = lease, checkpoint = new { page = 3 } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _silo.PostAsync(task + "/heartbeat", TestKeys.Agent, new { leaseToken = lease, checkpoint = new { page = 7 }, progress = new { percent = 40 } })).Status);
        var saved = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Equal(JsonValueKind.String, Generate(saved).GetProperty("checkpointSavedAt").ValueKind);

        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "quick summary instead" })).Status);

        // The generator never answers; its ladder (ack timeout 30 s) is far off, yet the summary is offered now.
        var summary = (await _silo.PostAsync($"/api/v1/agents/sum-{suffix}/poll", TestKeys.Agent, new { agents = new[] { "quick-summary-" + suffix }, waitSeconds = 10 })).Body;
        Assert.Equal("summary", summary.GetProperty("taskId").GetString());
        Assert.Equal(7, summary.GetProperty("checkpoint").GetProperty("page").GetInt32());
        var view = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        var generate = Generate(view);
        Assert.Equal("cancelling", generate.GetProperty("status").GetString());
        Assert.False(generate.GetProperty("cancel").GetProperty("fenced").GetBoolean());
        Assert.Equal(JsonValueKind.String, generate.GetProperty("cancel").GetProperty("fallbackDueAt").ValueKind);
        var started = view.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("type").GetString() == "fallback_started");
        Assert.Contains("did not acknowledge", started.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The generator stops late, with a newer checkpoint: noted, and the fallback's run is not disturbed.
        Assert.Equal(HttpStatusCode.OK, (await _silo.PostAsync(task + "/cancel-ack", TestKeys.Agent, new { leaseToken = lease, checkpoint = new { page = 8 } })).Status);
        var done = await _silo.PostAsync($"/api/v1/tasks/{caseId}/summary/complete", TestKeys.Agent, new { leaseToken = summary.GetProperty("leaseToken").GetString(), output = new { summary = "briefly" } });
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var ended = await _silo.WaitForViewAsync(caseId, v => v.GetProperty("status").GetString() == "completed" && Generate(v).GetProperty("status").GetString() == "cancelled");
        Assert.Equal("briefly", ended.GetProperty("output").GetProperty("summary").GetString());
        Assert.Contains(ended.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "checkpoint_after_fallback");
    }

    [Fact]
    public async Task An_oversized_checkpoint_is_refused_and_the_saved_one_stays()
    {
        var suffix = "big-" + Guid.NewGuid().ToString("N")[..6];
        var (caseId, lease) = await ClaimGenerateAsync(suffix, 600);
        var task = $"/api/v1/tasks/{caseId}/generate";
        Assert.Equal(HttpStatusCode.OK, (await _silo.PostAsync(task + "/heartbeat", TestKeys.Agent, new { leaseToken = lease, checkpoint = new { page = 2 } })).Status);
        var huge = new string('x', 300 * 1024);

        var beat = await _silo.PostAsync(task + "/heartbeat", TestKeys.Agent, new { leaseToken = lease, checkpoint = new { text = huge } });
        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "stop" })).Status);
        var ack = await _silo.PostAsync(task + "/cancel-ack", TestKeys.Agent, new { leaseToken = lease, checkpoint = new { text = huge } });

        foreach (var refused in new[] { beat, ack })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Equal("checkpoint_too_large", refused.Code);
            Assert.Equal(256 * 1024, refused.Body.GetProperty("limit").GetInt32());
            Assert.Contains("Ripcord:Api:MaxCheckpointBytes", refused.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Neither refusal touched the task: it is still cancelling, and a good acknowledgement hands over the saved checkpoint.
        Assert.Equal("cancelling", Generate((await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _silo.PostAsync(task + "/cancel-ack", TestKeys.Agent, new { leaseToken = lease })).Status);
        var summary = (await _silo.PostAsync($"/api/v1/agents/sum-{suffix}/poll", TestKeys.Agent, new { agents = new[] { "quick-summary-" + suffix }, waitSeconds = 10 })).Body;
        Assert.Equal(2, summary.GetProperty("checkpoint").GetProperty("page").GetInt32());
    }

    [Theory]
    [InlineData("""{ "id": "a", "agent": "x", "checkpointWaitSeconds": 2 }""", "no onCancel")]
    [InlineData("""{ "id": "a", "agent": "x", "onCancel": "b", "checkpointWaitSeconds": -1 }""", "between 0 and")]
    public async Task A_bad_checkpoint_wait_is_refused_at_registration(string node, string expected)
    {
        var name = "wait-bad-" + Guid.NewGuid().ToString("N")[..6];
        var reply = await _silo.SendAsync(HttpMethod.Put, "/api/v1/processes/" + name, TestKeys.Admin, $$"""{ "name": "{{name}}", "nodes": [ {{node}}, { "id": "b", "agent": "y" } ] }""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid_definition", reply.Code);
        var error = reply.Body.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("code").GetString() == "invalid_checkpoint_wait");
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.GetAsync("/api/v1/processes/" + name, TestKeys.Viewer)).Status);
    }

    private static JsonElement Generate(JsonElement view) =>
        view.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("taskId").GetString() == "generate");

    private async Task<(string CaseId, string Lease)> ClaimGenerateAsync(string suffix, double wait)
    {
        var process = await _silo.RegisterReportAsync(suffix, ackTimeoutSeconds: 30, checkpointWaitSeconds: wait);
        var caseId = await _silo.StartCaseAsync(process, input: new { topic = "tides" });
        var claim = (await _silo.PostAsync($"/api/v1/agents/gen-{suffix}/poll", TestKeys.Agent, new { agents = new[] { "report-generator-" + suffix }, waitSeconds = 10 })).Body;
        Assert.Equal(caseId, claim.GetProperty("caseId").GetString());
        return (caseId, claim.GetProperty("leaseToken").GetString()!);
    }
}
