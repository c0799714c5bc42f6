using System.Net;
using System.Text.Json;

namespace Ripcord.Silo.Tests.Api;

/// <summary>
/// Bad input to every endpoint that takes a body gets the right status and problem code, never a 500, and changes
/// nothing: the case's history and status and the registered processes are the same afterwards.
/// </summary>
public sealed class BadInputTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly RunningSilo _silo = fixture.Silo;

    public static TheoryData<string, string, string, string?, HttpStatusCode, string> Cases() => new()
    {
        // method, path ({case} is replaced by a running case's id), key, body, status, code
        { "POST", "/api/v1/cases", TestKeys.Operator, "{\"process\": \"report\",", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "{\"process\": 42}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "{\"caseId\": \"x\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "null", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "[]", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "{\"process\": \"no-such-process\"}", HttpStatusCode.NotFound, "process_not_found" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "{\"process\": \"report\", \"caseId\": \"has spaces/and slashes\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "{\"process\": \"report\", \"cancel\": {\"holdSeconds\": -5}}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases", TestKeys.Operator, "{\"process\": \"report\", \"admins\": \"alice\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/cancel", TestKeys.Operator, "{\"mode\": \"sideways\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/cancel", TestKeys.Operator, "{\"mode\": 1}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/cancel", TestKeys.Operator, "{\"holdSeconds\": \"soon\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/cancel", TestKeys.Operator, "{\"gracePeriodSeconds\": -1}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/cancel", TestKeys.Operator, "{not json", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/no-such-case/cancel", TestKeys.Admin, "{\"mode\": \"force\"}", HttpStatusCode.NotFound, "case_not_found" },
        { "POST", "/api/v1/cases/{case}/cancel/override", TestKeys.Operator, "{\"reason\": 12}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/no-such-case/cancel/confirm", TestKeys.Admin, null, HttpStatusCode.NotFound, "case_not_found" },
        { "POST", "/api/v1/cases/{case}/tasks/no-such-task/cancel", TestKeys.Operator, "{\"reason\": \"x\"}", HttpStatusCode.NotFound, "task_not_found" },
        { "POST", "/api/v1/cases/{case}/tasks/generate/cancel", TestKeys.Operator, "{\"reason\": [1]}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/tasks/cancel", TestKeys.Operator, "{\"reason\": \"x\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/tasks/cancel", TestKeys.Operator, "{\"taskIds\": []}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/tasks/cancel", TestKeys.Operator, "{\"taskIds\": \"generate\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/cases/{case}/tasks/cancel", TestKeys.Operator, "{\"taskIds\": [\"no-such-task\"]}", HttpStatusCode.NotFound, "task_not_found" },
        { "PUT", "/api/v1/processes/report", TestKeys.Admin, "{\"name\": \"report\", \"nodes\": [", HttpStatusCode.BadRequest, "invalid_definition" },
        { "PUT", "/api/v1/processes/report", TestKeys.Admin, "{\"name\": \"report\", \"nodes\": [{\"id\": \"a\", \"agent\": \"x\"}, {\"id\": \"b\", \"agent\": \"y\"}], \"edges\": [[\"a\", \"b\"], [\"b\", \"a\"]]}", HttpStatusCode.BadRequest, "invalid_definition" },
        { "PUT", "/api/v1/processes/report", TestKeys.Admin, "{\"name\": \"report\", \"nodes\": [{\"id\": \"a\", \"agent\": \"x\"}], \"edges\": [[\"a\", \"ghost\"]]}", HttpStatusCode.BadRequest, "invalid_definition" },
        { "PUT", "/api/v1/processes/report", TestKeys.Admin, "{\"name\": \"report\", \"nodes\": [{\"id\": \"a\"}], \"edges\": []}", HttpStatusCode.BadRequest, "invalid_definition" },
        { "PUT", "/api/v1/processes/report", TestKeys.Admin, "{\"name\": \"report\", \"nodes\": [{\"id\": \"a\", \"agent\": \"x\", \"onCancel\": \"nowhere\"}], \"edges\": []}", HttpStatusCode.BadRequest, "invalid_definition" },
        { "PUT", "/api/v1/processes/report", TestKeys.Admin, "{\"name\": \"report\", \"nodes\": [{\"id\": \"a\", \"agent\": \"x\"}, {\"id\": \"j\", \"join\": \"most\"}], \"edges\": [[\"a\", \"j\"]]}", HttpStatusCode.BadRequest, "invalid_definition" },
        { "PUT", "/api/v1/processes/report", TestKeys.Admin, "{\"name\": \"other\", \"nodes\": [{\"id\": \"a\", \"agent\": \"x\"}], \"edges\": []}", HttpStatusCode.BadRequest, "invalid_definition" },
        { "POST", "/api/v1/agents/agent-1/poll", TestKeys.Agent, "{\"waitSeconds\": 0}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/agents/agent-1/poll", TestKeys.Agent, "{\"agents\": [], \"waitSeconds\": 0}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/agents/agent-1/poll", TestKeys.Agent, "{\"agents\": [\"report-generator\"], \"waitSeconds\": 3600}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/agents/agent-1/poll", TestKeys.Agent, "{\"agents\": \"report-generator\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/heartbeat", TestKeys.Agent, "{}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/heartbeat", TestKeys.Agent, "{\"leaseToken\": 7}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/heartbeat", TestKeys.Agent, "{\"leaseToken\": \"forged\", \"usage\": {\"tokens\": \"many\"}}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/heartbeat", TestKeys.Agent, "{\"leaseToken\": \"forged\"}", HttpStatusCode.Conflict, "lease_lost" },
        { "POST", "/api/v1/tasks/{case}/generate/complete", TestKeys.Agent, "{\"output\": {}}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/complete", TestKeys.Agent, "{\"leaseToken\": \"forged\", \"output\": {}}", HttpStatusCode.Conflict, "lease_lost" },
        { "POST", "/api/v1/tasks/{case}/generate/cancel-ack", TestKeys.Agent, "{\"checkpoint\": {}}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/fail", TestKeys.Agent, "{\"leaseToken\": [\"x\"]}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/resources", TestKeys.Agent, "{\"leaseToken\": \"forged\"}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/resources", TestKeys.Agent, "{\"leaseToken\": \"forged\", \"resourceId\": \"vm-1\", \"release\": {\"type\": \"webhook\", \"url\": \"not a url\"}}", HttpStatusCode.BadRequest, "invalid_request" },
        { "POST", "/api/v1/tasks/{case}/generate/resources", TestKeys.Agent, "{\"leaseToken\": \"forged\", \"resourceId\": \"vm-1\", \"release\": {\"type\": \"carrier-pigeon\"}}", HttpStatusCode.BadRequest, "invalid_request" },
        { "DELETE", "/api/v1/tasks/{case}/generate/resources/vm-1", TestKeys.Agent, null, HttpStatusCode.BadRequest, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_BadInput_AnswersItsProblemCodeAndChangesNothing(string method, string path, string key, string? body, HttpStatusCode status, string code)
    {
        var caseId = await _silo.StartCaseAsync("report");
        var processesBefore = (await _silo.GetAsync("/api/v1/processes", TestKeys.Viewer)).Text;
        var before = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;

        var reply = await _silo.SendAsync(new HttpMethod(method), path.Replace("{case}", caseId, StringComparison.Ordinal), key, body);

        Assert.True(status == reply.Status, $"expected {status}, got {reply.Status}: {reply.Text}");
        Assert.Equal(code, reply.Code);
        Assert.False(string.IsNullOrWhiteSpace(reply.Body.GetProperty("detail").GetString()));
        var after = (await _silo.GetAsync($"/api/v1/cases/{caseId}", TestKeys.Viewer)).Body;
        Assert.Equal(before.GetProperty("status").GetString(), after.GetProperty("status").GetString());
        Assert.Equal(Tasks(before), Tasks(after));
        var notes = after.GetProperty("history").GetArrayLength() - before.GetProperty("history").GetArrayLength();
        Assert.True(notes <= 1, $"bad input changed the case's history by {notes} events");
        Assert.Equal(processesBefore, (await _silo.GetAsync("/api/v1/processes", TestKeys.Viewer)).Text);
    }

    [Fact]
    public async Task StartCase_BodyOverTheLimit_Answers400WithTheLimit()
    {
        var huge = "{\"process\": \"report\", \"input\": {\"blob\": \"" + new string('x', 1_100_000) + "\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases")
        {
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestKeys.Operator);

        // The silo refuses the body by its length, before reading it, and closes the connection: without
        // 100-continue the client could still be writing the body then and fail on the closed socket.
        request.Headers.ExpectContinue = true;

        using var response = await _silo.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request", body.RootElement.GetProperty("code").GetString());
        Assert.Contains("limit", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutProcess_InvalidDefinition_NamesEveryFault()
    {
        var reply = await _silo.SendAsync(HttpMethod.Put, "/api/v1/processes/broken", TestKeys.Admin,
            "{\"name\": \"broken\", \"nodes\": [{\"id\": \"a\"}, {\"id\": \"b\", \"agent\": \"y\", \"onCancel\": \"ghost\"}], \"edges\": [[\"a\", \"zzz\"]]}");

        Assert.Equal("invalid_definition", reply.Code);
        var faults = reply.Body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToArray();
        Assert.Contains(faults, f => f!.Contains("zzz", StringComparison.Ordinal));
        Assert.Contains(faults, f => f!.Contains("ghost", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.GetAsync("/api/v1/processes/broken", TestKeys.Viewer)).Status);
    }

    private static string Tasks(JsonElement view) =>
        string.Join(",", view.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskId").GetString() + ":" + t.GetProperty("status").GetString()));
}
