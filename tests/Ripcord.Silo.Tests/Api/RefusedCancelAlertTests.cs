using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>
/// A cancel refused for lack of rights tells the case's administrators (Appian's Cancel Process): an alert on the
/// live event stream and in the case view, counted in the metrics; the case runs on untouched.
/// </summary>
public sealed class RefusedCancelAlertTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    [Fact]
    public async Task A_refused_cancel_is_an_alert_on_the_events_stream_and_the_case_and_changes_nothing_else()
    {
        var before = (await _silo.GetAsync("/api/v1/metrics", TestKeys.Viewer)).Body.GetProperty("refusedCancels").GetInt32();
        var process = await _silo.RegisterReportAsync("refused-" + Guid.NewGuid().ToString("N")[..6]);
        var caseId = await _silo.StartCaseAsync(process, key: TestKeys.Operator);
        await using var events = await SseStream.OpenAsync(_silo.Http, "/api/v1/events", TestKeys.Viewer);

        // bob is an operator, but neither the case's starter (alice) nor one of its admins.
        var refused = await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.OtherOperator, new { mode = "force", reason = "not mine to stop" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);

        var alert = await NextAlertAsync(events, caseId);
        Assert.Equal("cancel_refused", alert.GetProperty("type").GetString());
        Assert.Equal("bob", alert.GetProperty("principal").GetString());
        Assert.Equal("cancel_case", alert.GetProperty("action").GetString());
        Assert.Equal("running", alert.GetProperty("status").GetString());
        Assert.Equal(process, alert.GetProperty("process").GetString());

        var view = await _silo.WaitForViewAsync(caseId, v => v.GetProperty("alerts").GetArrayLength() == 1);
        Assert.Equal("running", view.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("cancel").ValueKind);
        var onCase = view.GetProperty("alerts")[0];
        Assert.Equal("cancel_refused", onCase.GetProperty("type").GetString());
        Assert.Equal("bob", onCase.GetProperty("actor").GetString());
        Assert.Equal("bob", view.GetProperty("measures").GetProperty("lastRefusedCancel").GetProperty("principal").GetString());
        var after = (await _silo.GetAsync("/api/v1/metrics", TestKeys.Viewer)).Body.GetProperty("refusedCancels").GetInt32();
        Assert.True(after >= before + 1, $"refusedCancels went from {before} to {after}");

        // The starter's own cancel is not refused and raises no alert; the stream carries its status change only.
        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", reason = "withdrawn" })).Status);
        var ended = await _silo.WaitForViewAsync(caseId, v => v.GetProperty("status").GetString() == "cancelled");
        Assert.Equal(1, ended.GetProperty("alerts").GetArrayLength());
    }

    [Fact]
    public async Task A_refused_cancel_on_an_ended_case_is_an_alert_too()
    {
        var process = await _silo.RegisterReportAsync("refused-end-" + Guid.NewGuid().ToString("N")[..6]);
        var caseId = await _silo.StartCaseAsync(process, key: TestKeys.Operator);
        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force" })).Status);
        await _silo.WaitForViewAsync(caseId, v => v.GetProperty("status").GetString() == "cancelled");
        await using var events = await SseStream.OpenAsync(_silo.Http, "/api/v1/events", TestKeys.Viewer);

        var refused = await _silo.PostAsync($"/api/v1/cases/{caseId}/tasks/generate/cancel", TestKeys.OtherOperator, new { reason = "late and not mine" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        var alert = await NextAlertAsync(events, caseId);
        Assert.Equal("cancel_activity", alert.GetProperty("action").GetString());
        Assert.Equal("cancelled", alert.GetProperty("status").GetString());
    }

    /// <summary>The next <c>alert</c> event of the given case (other tests' cases share the stream).</summary>
    private static async Task<JsonElement> NextAlertAsync(SseStream events, string caseId)
    {
        while (true)
        {
            var data = JsonDocument.Parse((await events.NextAsync("alert")).Data).RootElement;
            if (data.GetProperty("caseId").GetString() == caseId)
            {
                return data;
            }
        }
    }
}
