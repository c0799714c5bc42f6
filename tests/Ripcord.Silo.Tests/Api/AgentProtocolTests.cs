using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>The agent protocol over real HTTP, as an agent in any language would speak it.</summary>
public sealed class AgentProtocolTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    /// <summary>
    /// The agent's stream was down when the cancel came (its silo died, say): the stream it opens next, on any silo,
    /// is pushed the cancel still waiting for its acknowledgement, without waiting for a heartbeat.
    /// </summary>
    [Fact]
    public async Task CancelActivity_AgentStreamConnectsAfterTheCancel_WaitingSignalIsPushedOnConnect()
    {
        // No re-emit comes while the test waits (the ack timeout is long): only what is waiting can be pushed.
        var process = await _silo.RegisterReportAsync("late-stream", ackTimeoutSeconds: 600);
        var caseId = await _silo.StartCaseAsync(process);
        var claim = (await _silo.PostAsync("/api/v1/agents/late-1/poll", TestKeys.Agent, new { agents = new[] { "report-generator-late-stream" }, waitSeconds = 10 })).Body;
        Assert.Equal(caseId, claim.GetProperty("caseId").GetString());

        var cancelled = await _silo.PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "while the stream was down" });
        Assert.Equal(HttpStatusCode.Accepted, cancelled.Status);
        await using var signals = await SseStream.OpenAsync(_silo.Http, "/api/v1/agents/late-1/signals", TestKeys.Agent);

        var pushed = JsonDocument.Parse((await signals.NextAsync("cancel")).Data).RootElement;
        Assert.Equal(caseId, pushed.GetProperty("caseId").GetString());
        Assert.Equal("generate", pushed.GetProperty("taskId").GetString());
        Assert.Equal("while the stream was down", pushed.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task CancelActivity_AgentOnPushStream_GetsSignalAcksWithCheckpointAndFallbackDelivers()
    {
        await using var webhooks = await WebhookReceiver.StartAsync();
        var process = await _silo.RegisterReportAsync("push");
        var caseId = await _silo.StartCaseAsync(process, input: new { topic = "fusion" });
        await using var signals = await SseStream.OpenAsync(_silo.Http, "/api/v1/agents/gen-7/signals", TestKeys.Agent);

        var claim = (await _silo.PostAsync("/api/v1/agents/gen-7/poll", TestKeys.Agent, new { agents = new[] { "report-generator-push" }, waitSeconds = 10 })).Body;
        Assert.Equal(caseId, claim.GetProperty("caseId").GetString());
        Assert.Equal("generate", claim.GetProperty("taskId").GetString());
        Assert.Equal("fusion", claim.GetProperty("input").GetProperty("topic").GetString());
        Assert.True(claim.GetProperty("heartbeatSeconds").GetDouble() > 0);
        var lease = claim.GetProperty("leaseToken").GetString()!;
        var task = $"/api/v1/tasks/{caseId}/generate";

        var beat = await _silo.PostAsync(task + "/heartbeat", TestKeys.Agent, new { leaseToken = lease, progress = new { percent = 30 }, usage = new { tokens = 3000, gpuSeconds = 12.5 }, estimate = new { tokens = 10000, gpuSeconds = 40 } });
        Assert.Equal(JsonValueKind.Null, beat.Body.GetProperty("cancel").ValueKind);
        var registered = await _silo.PostAsync(task + "/resources", TestKeys.Agent, new { leaseToken = lease, resourceId = "vm-1", kind = "vm", release = new { type = "webhook", url = webhooks.UrlFor("vm-1"), method = "DELETE" } });
        Assert.Equal(HttpStatusCode.OK, registered.Status);

        var cancelled = await _silo.PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.Operator, new { reason = "quick summary instead" });
        Assert.Equal(HttpStatusCode.Accepted, cancelled.Status);
        Assert.False(cancelled.Body.GetProperty("alreadyClosed").GetBoolean());

        // The signal is pushed to the agent's stream, and also returned by the next heartbeat.
        var pushed = JsonDocument.Parse((await signals.NextAsync("cancel")).Data).RootElement;
        Assert.Equal(caseId, pushed.GetProperty("caseId").GetString());
        Assert.Equal("generate", pushed.GetProperty("taskId").GetString());
        Assert.Equal("standard", pushed.GetProperty("mode").GetString());
        Assert.Equal("quick summary instead", pushed.GetProperty("reason").GetString());
        var delivered = await _silo.WaitForViewAsync(caseId, v => v.GetProperty("history").EnumerateArray().Any(h => h.GetProperty("type").GetString() == "cancel_signal_delivered"));
        Assert.Contains(delivered.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "cancel_signal_delivered" && h.GetProperty("reason").GetString()!.Contains("pushed", StringComparison.Ordinal));
        var pending = (await _silo.PostAsync(task + "/heartbeat", TestKeys.Agent, new { leaseToken = lease })).Body.GetProperty("cancel");
        Assert.Equal("standard", pending.GetProperty("mode").GetString());
        Assert.True(pending.GetProperty("deadline").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-1));

        var ack = await _silo.PostAsync(task + "/cancel-ack", TestKeys.Agent, new { leaseToken = lease, checkpoint = new { sections = 3 }, snapshot = new { draft = "intro" } });
        Assert.Equal(HttpStatusCode.OK, ack.Status);
        await webhooks.Released("vm-1");

        var fallback = (await _silo.PostAsync("/api/v1/agents/sum-1/poll", TestKeys.Agent, new { agents = new[] { "quick-summary-push" }, waitSeconds = 10 })).Body;
        Assert.Equal("summary", fallback.GetProperty("taskId").GetString());
        Assert.Contains("fusion", fallback.GetProperty("input").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(3, FindNumber(fallback, "sections"));
        var done = await _silo.PostAsync($"/api/v1/tasks/{caseId}/summary/complete", TestKeys.Agent, new { leaseToken = fallback.GetProperty("leaseToken").GetString(), output = new { summary = "fusion, briefly" } });
        Assert.Equal(HttpStatusCode.OK, done.Status);

        var late = await _silo.PostAsync(task + "/complete", TestKeys.Agent, new { leaseToken = lease, output = new { report = "too late" } });
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Contains(late.Code, new[] { "task_cancelled", "lease_lost" });

        // The case completes on the fallback's output; the registry records the release's answer in its own turn.
        var view = await _silo.WaitForViewAsync(caseId, v => v.GetProperty("status").GetString() is "completed" or "failed" or "cancelled"
            && v.GetProperty("resources").EnumerateArray().All(r => r.GetProperty("status").GetString() is "released" or "orphaned"));
        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal("fusion, briefly", view.GetProperty("output").GetProperty("summary").GetString());
        var generate = view.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("taskId").GetString() == "generate");
        Assert.Equal("cancelled", generate.GetProperty("status").GetString());
        Assert.Equal("released", view.GetProperty("resources").EnumerateArray().Single().GetProperty("status").GetString());
        Assert.Equal(1, webhooks.Calls("DELETE", "vm-1"));
        var history = view.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("type").GetString()).ToArray();
        Assert.Contains(history, t => t!.Contains("late", StringComparison.Ordinal) || t.Contains("discard", StringComparison.Ordinal));
        Assert.Contains(view.GetProperty("history").EnumerateArray(), h => h.GetRawText().Contains("intro", StringComparison.Ordinal));

        // The user rates the fallback's output: the seed's cancel path output quality.
        Assert.Equal(HttpStatusCode.BadRequest, (await _silo.PostAsync($"/api/v1/cases/{caseId}/rating", TestKeys.Operator, new { rating = 9 })).Status);
        var rated = await _silo.PostAsync($"/api/v1/cases/{caseId}/rating", TestKeys.Operator, new { rating = 4, comment = "good enough" });
        Assert.Equal(HttpStatusCode.OK, rated.Status);
        Assert.True(rated.Body.GetProperty("viaFallback").GetBoolean());
        var metrics = (await _silo.GetAsync("/api/v1/metrics", TestKeys.Viewer)).Body;
        Assert.True(metrics.GetProperty("fallbackOutputRating").GetProperty("count").GetInt32() >= 1);
    }

    [Fact]
    public async Task Poll_NothingReady_Answers204AfterTheWait()
    {
        var reply = await _silo.PostAsync("/api/v1/agents/idle-1/poll", TestKeys.Agent, new { agents = new[] { "nobody-offers-this" }, waitSeconds = 0.2 });

        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
    }

    [Fact]
    public async Task Poll_TwoAgentsRaceForOneTask_ExactlyOneGetsIt()
    {
        var caseId = await _silo.StartCaseAsync(await _silo.RegisterReportAsync("race"));

        var first = _silo.PostAsync("/api/v1/agents/racer-1/poll", TestKeys.Agent, new { agents = new[] { "report-generator-race" }, waitSeconds = 1 });
        var second = _silo.PostAsync("/api/v1/agents/racer-2/poll", TestKeys.Agent, new { agents = new[] { "report-generator-race" }, waitSeconds = 1 });
        var replies = await Task.WhenAll(first, second);

        var winners = replies.Where(r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("caseId").GetString() == caseId).ToArray();
        Assert.Single(winners);
    }

    [Fact]
    public async Task CancelCase_ForceOnRunningTask_FencesAndLaterCallsAreRejectedAsLeaseLost()
    {
        var caseId = await _silo.StartCaseAsync(await _silo.RegisterReportAsync("force"));
        var claim = (await _silo.PostAsync("/api/v1/agents/stubborn/poll", TestKeys.Agent, new { agents = new[] { "report-generator-force" }, waitSeconds = 10 })).Body;
        Assert.Equal(caseId, claim.GetProperty("caseId").GetString());
        var lease = claim.GetProperty("leaseToken").GetString();

        var cancel = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", reason = "withdrawn" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);
        Assert.Equal("force_cancelling", cancel.Body.GetProperty("status").GetString());

        var beat = await _silo.PostAsync($"/api/v1/tasks/{caseId}/generate/heartbeat", TestKeys.Agent, new { leaseToken = lease });
        Assert.Equal(HttpStatusCode.Conflict, beat.Status);
        Assert.Equal("lease_lost", beat.Code);
        var again = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "standard" });
        Assert.Contains(again.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
    }

    [Fact]
    public async Task CancelCase_AlreadyCancelled_AnswersAlreadyClosedAndNotesIt()
    {
        var caseId = await _silo.StartCaseAsync("report");
        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force" })).Status);
        var view = await WaitForStatusAsync(caseId, "cancelled");
        var historyBefore = view.GetProperty("history").GetArrayLength();

        var again = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "standard", reason = "twice" });

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.True(again.Body.GetProperty("alreadyClosed").GetBoolean());
        Assert.Equal("cancelled", again.Body.GetProperty("status").GetString());
        var after = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        Assert.Equal(historyBefore + 1, after.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task CancelCase_WithHold_IsPendingUntilConfirmedAndOverrideCountsAsFalse()
    {
        var held = await _silo.StartCaseAsync("report");
        var pending = await _silo.PostAsync($"/api/v1/cases/{held}/cancel", TestKeys.Operator, new { mode = "standard", holdSeconds = 3600, reason = "misparsed email?" });
        Assert.Equal(HttpStatusCode.Accepted, pending.Status);
        Assert.Equal("cancel_pending", pending.Body.GetProperty("status").GetString());

        var overridden = await _silo.PostAsync($"/api/v1/cases/{held}/cancel/override", TestKeys.Operator, new { reason = "it was a question" });
        Assert.Contains(overridden.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
        var view = (await _silo.GetAsync($"/api/v1/cases/{held}", TestKeys.Viewer)).Body;
        Assert.True(view.GetProperty("status").GetString() == "running", view.GetRawText());
        Assert.True(view.GetProperty("measures").GetProperty("falseCancellations").GetInt32() == 1, view.GetProperty("measures").GetRawText());
        var metrics = (await _silo.GetAsync("/api/v1/metrics", TestKeys.Viewer)).Body.GetProperty("falseCancellations");
        Assert.True(metrics.GetProperty("count").GetInt32() >= 1 && metrics.GetProperty("holds").GetInt32() >= 1, metrics.GetRawText());
        Assert.InRange(metrics.GetProperty("rate").GetDouble(), double.Epsilon, 1);

        var confirmed = await _silo.StartCaseAsync("report");
        var held2 = await _silo.PostAsync($"/api/v1/cases/{confirmed}/cancel", TestKeys.Operator, new { mode = "standard", holdSeconds = 3600, gracePeriodSeconds = 0 });
        Assert.Equal("cancel_pending", held2.Body.GetProperty("status").GetString());
        var confirm = await _silo.PostAsync($"/api/v1/cases/{confirmed}/cancel/confirm", TestKeys.Operator, null);
        Assert.Equal(HttpStatusCode.Accepted, confirm.Status);
        await WaitForStatusAsync(confirmed, "cancelled");
    }

    [Fact]
    public async Task GlobalEvents_CaseEnds_AnnouncedOnceEvenAfterLaterNotes()
    {
        await using var changes = await SseStream.OpenAsync(_silo.Http, "/api/v1/events", TestKeys.Viewer);
        var ended = await _silo.StartCaseAsync("report");
        await _silo.PostAsync($"/api/v1/cases/{ended}/cancel", TestKeys.Operator, new { mode = "force" });
        await WaitForStatusAsync(ended, "cancelled");
        Assert.Equal(HttpStatusCode.OK, (await _silo.PostAsync($"/api/v1/cases/{ended}/cancel", TestKeys.Operator, new { mode = "force" })).Status);
        var marker = await _silo.StartCaseAsync("report");

        var seen = new List<(string CaseId, string Status)>();
        while (!seen.Contains((marker, "running")))
        {
            var e = JsonDocument.Parse((await changes.NextAsync("case")).Data).RootElement;
            seen.Add((e.GetProperty("caseId").GetString()!, e.GetProperty("status").GetString()!));
        }

        Assert.Equal(1, seen.Count(c => c == (ended, "cancelled")));
        // The feed reads the case index: a status that lasted less than one read may be folded into the next one,
        // but the order holds and the end is announced exactly once, last.
        var statuses = seen.Where(c => c.CaseId == ended).Select(c => c.Status).ToList();
        Assert.Equal("cancelled", statuses[^1]);
        Assert.Equal(statuses.OrderBy(s => Array.IndexOf(["running", "force_cancelling", "cancelled"], s)), statuses);
    }

    [Fact]
    public async Task CaseEvents_StreamReplaysHistoryAndPushesNewEvents()
    {
        var caseId = await _silo.StartCaseAsync("report");
        await using var events = await SseStream.OpenAsync(_silo.Http, $"/api/v1/cases/{caseId}/events", TestKeys.Viewer);

        var first = await events.NextAsync("history");
        Assert.Equal("1", first.Id);
        Assert.Equal("case_started", JsonDocument.Parse(first.Data).RootElement.GetProperty("type").GetString());
        await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", reason = "watching" });

        while (true)
        {
            var e = JsonDocument.Parse((await events.NextAsync("history")).Data).RootElement;
            if (e.GetProperty("type").GetString() == "cancel_requested")
            {
                Assert.Equal("alice", e.GetProperty("actor").GetString());
                Assert.Equal("watching", e.GetProperty("reason").GetString());
                break;
            }
        }
    }

    private Task<JsonElement> WaitForStatusAsync(string caseId, string status) =>
        _silo.WaitForViewAsync(caseId, v => v.GetProperty("status").GetString() == status);

    private static double FindNumber(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == name && property.Value.ValueKind == JsonValueKind.Number)
            {
                return property.Value.GetDouble();
            }

            if (property.Value.ValueKind == JsonValueKind.Object && FindNumber(property.Value, name) is var found && !double.IsNaN(found))
            {
                return found;
            }
        }

        return double.NaN;
    }
}
