using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>
/// Data minimization over HTTP: an administrator purges an ended case's payloads at once; the case view says when and
/// by whom; every refusal is a problem with a code and leaves the case as it was.
/// </summary>
public sealed class PurgeTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    private async Task<string> RegisterAsync(string retention)
    {
        var name = "purge-" + Guid.NewGuid().ToString("N")[..8];
        var reply = await _silo.SendAsync(HttpMethod.Put, "/api/v1/processes/" + name, TestKeys.Admin, $$"""
            { "name": "{{name}}", "nodes": [{ "id": "check", "agent": "nobody-{{name}}" }], "edges": [], "retention": {{retention}} }
            """);
        Assert.True(reply.Status == HttpStatusCode.OK, $"registering {name} answered {reply.Status}: {reply.Text}");
        return name;
    }

    private async Task<string> CancelledCaseAsync()
    {
        var caseId = await _silo.StartCaseAsync(await RegisterAsync("""{ "cancelledSeconds": 86400, "auditPreserving": true }"""), input: new { applicant = "Ada Byron" });
        Assert.Equal(HttpStatusCode.Accepted, (await _silo.PostAsync($"/api/v1/cases/{caseId}/cancel", TestKeys.Operator, new { mode = "force", reason = "applicant withdrew" })).Status);
        await _silo.WaitForViewAsync(caseId, v => v.GetProperty("status").GetString() == "cancelled");
        return caseId;
    }

    [Fact]
    public async Task Purge_CancelledCase_202WithWhenAndWho_ViewShowsIt_AndARepeatAnswersTheSame()
    {
        var caseId = await CancelledCaseAsync();
        var before = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Equal(JsonValueKind.Null, before.GetProperty("redactedAt").ValueKind);

        var purge = await _silo.PostAsync($"/api/v1/cases/{caseId}/purge", TestKeys.Admin, new { reason = "erasure request" });
        var again = await _silo.SendAsync(HttpMethod.Post, $"/api/v1/cases/{caseId}/purge", TestKeys.Admin);

        Assert.True(purge.Status == HttpStatusCode.Accepted, purge.Text);
        Assert.Equal("root", purge.Body.GetProperty("redactedBy").GetString());
        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.Equal(purge.Body.GetProperty("redactedAt").GetDateTimeOffset(), again.Body.GetProperty("redactedAt").GetDateTimeOffset());
        var view = await _silo.WaitForViewAsync(caseId, v => v.GetProperty("history").EnumerateArray().Any(e => e.GetProperty("type").GetString() == "case_redacted"));
        Assert.Equal(purge.Body.GetProperty("redactedAt").GetDateTimeOffset(), view.GetProperty("redactedAt").GetDateTimeOffset());
        Assert.Equal("root", view.GetProperty("redactedBy").GetString());
        Assert.Equal("cancelled", view.GetProperty("status").GetString());
        var history = view.GetProperty("history").EnumerateArray().ToList();
        Assert.Contains(history, e => e.GetProperty("type").GetString() == "cancel_requested" && e.GetProperty("actor").GetString() == "alice" && e.GetProperty("reason").GetString() == "applicant withdrew");
        Assert.Single(history, e => e.GetProperty("type").GetString() == "case_redacted" && e.GetProperty("reason").GetString() == "erasure request");
    }

    [Fact]
    public async Task Purge_RefusedRequests_AnswerProblemsWithCodes_AndChangeNothing()
    {
        var running = await _silo.StartCaseAsync(await RegisterAsync("""{ "cancelledSeconds": 60 }"""));
        var ended = await CancelledCaseAsync();

        var conflict = await _silo.SendAsync(HttpMethod.Post, $"/api/v1/cases/{running}/purge", TestKeys.Admin);
        var unknown = await _silo.SendAsync(HttpMethod.Post, "/api/v1/cases/no-such-case/purge", TestKeys.Admin);
        var operatorCall = await _silo.SendAsync(HttpMethod.Post, $"/api/v1/cases/{ended}/purge", TestKeys.Operator);
        var viewerCall = await _silo.SendAsync(HttpMethod.Post, $"/api/v1/cases/{ended}/purge", TestKeys.Viewer);
        var malformedId = await _silo.SendAsync(HttpMethod.Post, "/api/v1/cases/bad%20id!/purge", TestKeys.Admin);
        var malformedBody = await _silo.SendAsync(HttpMethod.Post, $"/api/v1/cases/{ended}/purge", TestKeys.Admin, "{\"reason\": 5}");

        Assert.Equal((HttpStatusCode.Conflict, "conflict"), (conflict.Status, conflict.Code));
        Assert.Contains("running", conflict.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, "case_not_found"), (unknown.Status, unknown.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (operatorCall.Status, operatorCall.Code));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (viewerCall.Status, viewerCall.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (malformedId.Status, malformedId.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (malformedBody.Status, malformedBody.Code));
        Assert.Equal(JsonValueKind.Null, (await _silo.GetAsync($"/api/v1/cases/{running}", TestKeys.Viewer)).Body.GetProperty("redactedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _silo.GetAsync($"/api/v1/cases/{ended}", TestKeys.Viewer)).Body.GetProperty("redactedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.GetAsync("/api/v1/cases/no-such-case", TestKeys.Viewer)).Status);
    }

    [Fact]
    public async Task PutProcess_RetentionOutOfRange_InvalidRetention()
    {
        var reply = await _silo.SendAsync(HttpMethod.Put, "/api/v1/processes/bad-retention", TestKeys.Admin,
            """{ "name": "bad-retention", "nodes": [{ "id": "a", "agent": "x" }], "retention": { "cancelledSeconds": -1 } }""");

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_definition"), (reply.Status, reply.Code));
        var error = Assert.Single(reply.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal("invalid_retention", error.GetProperty("code").GetString());
        Assert.Contains("retention.cancelledSeconds", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.GetAsync("/api/v1/processes/bad-retention", TestKeys.Viewer)).Status);
    }
}
