using System.Text.Json;
using Ripcord.Client.Models;
using Ripcord.Client.Tests.Fakes;

namespace Ripcord.Client.Tests;

public sealed class CaseClientTests : IAsyncLifetime
{
    private FakeRipcordServer _server = null!;
    private RipcordClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRipcordServer.StartAsync();
        _client = new RipcordClient(new RipcordClientOptions { BaseAddress = _server.BaseAddress, ApiKey = "op-key" });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task StartCaseAsync_AllOptions_PostsCamelCaseBodyWithBearerKey()
    {
        var handle = await _client.StartCaseAsync(new StartCaseOptions
        {
            Process = "report",
            CaseId = "c-42",
            Input = new { TopicName = "GPUs", Pages = 3 },
            Admins = ["bob"],
            Cancel = new CancelDefaults { HoldSeconds = 0.5 },
        });

        var request = await _server.WaitForRequestAsync("POST", "/api/v1/cases");
        Assert.Equal("Bearer op-key", request.Authorization);
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        var body = request.Json;
        Assert.Equal("report", body.GetProperty("process").GetString());
        Assert.Equal("c-42", body.GetProperty("caseId").GetString());
        Assert.Equal("GPUs", body.GetProperty("input").GetProperty("topicName").GetString());
        Assert.Equal(3, body.GetProperty("input").GetProperty("pages").GetInt32());
        Assert.Equal("bob", body.GetProperty("admins")[0].GetString());
        Assert.Equal(0.5, body.GetProperty("cancel").GetProperty("holdSeconds").GetDouble());
        Assert.False(body.GetProperty("cancel").TryGetProperty("gracePeriodSeconds", out _));
        Assert.Equal("c-42", handle.CaseId);
        Assert.True(handle.StartResult!.Created);
        Assert.Equal(CaseStatus.Running, handle.StartResult.Status);
    }

    [Fact]
    public async Task StartCaseAsync_ExistingCaseId_ReportsNotCreated()
    {
        _server.OnJson("POST", "/api/v1/cases", 200, new { caseId = "c-42", status = "cancelled" });

        var handle = await _client.StartCaseAsync(new StartCaseOptions { Process = "report", CaseId = "c-42" });

        Assert.False(handle.StartResult!.Created);
        Assert.Equal(CaseStatus.Cancelled, handle.StartResult.Status);
    }

    [Fact]
    public async Task StartCaseAsync_NoProcess_ThrowsBeforeCallingServer()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.StartCaseAsync(new StartCaseOptions()));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CancelAsync_Force_PostsModeReasonHoldAndGrace()
    {
        var result = await _client.GetCase("c-1").CancelAsync(new CancelOptions
        {
            Mode = CancelMode.Force,
            Reason = "over budget",
            HoldSeconds = 2,
            GracePeriodSeconds = 1.5,
        });

        var request = await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/cancel");
        Assert.Equal("""{"mode":"force","reason":"over budget","gracePeriodSeconds":1.5,"holdSeconds":2}""", request.Body);
        Assert.False(result.AlreadyClosed);
        Assert.Equal(CaseStatus.Cancelling, result.Status);
    }

    [Fact]
    public async Task CancelAsync_NoOptions_SendsStandardModeOnly()
    {
        await _client.GetCase("c-1").CancelAsync();

        var request = await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/cancel");
        Assert.Equal("""{"mode":"standard"}""", request.Body);
    }

    [Fact]
    public async Task CancelAsync_ClosedCase_ReturnsAlreadyClosedWithItsStatus()
    {
        _server.OnJson("POST", "/api/v1/cases/{caseId}/cancel", 200, new { alreadyClosed = true, status = "completed" });

        var result = await _client.GetCase("c-1").CancelAsync(new CancelOptions { Mode = CancelMode.Force });

        Assert.True(result.AlreadyClosed);
        Assert.Equal(CaseStatus.Completed, result.Status);
    }

    [Fact]
    public async Task ConfirmAndOverride_PostToTheirPaths()
    {
        var handle = _client.GetCase("c-1");

        var confirmed = await handle.ConfirmCancelAsync();
        var overridden = await handle.OverrideCancelAsync(new OverrideCancelOptions { Reason = "false alarm" });

        Assert.Equal(CaseStatus.Cancelling, confirmed.Status);
        Assert.Equal(CaseStatus.Running, overridden.Status);
        var request = await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/cancel/override");
        Assert.Equal("false alarm", request.Json.GetProperty("reason").GetString());
        await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/cancel/confirm");
    }

    [Fact]
    public async Task CancelTaskAsync_PostsReasonToTaskPath()
    {
        var result = await _client.GetCase("c-1").CancelTaskAsync("generate", new CancelTaskOptions { Reason = "too slow" });

        var request = await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/tasks/generate/cancel");
        Assert.Equal("""{"reason":"too slow"}""", request.Body);
        Assert.False(result.AlreadyClosed);
    }

    [Fact]
    public async Task CancelTaskAsync_EndedTask_ReturnsAlreadyClosed()
    {
        _server.OnJson("POST", "/api/v1/cases/{caseId}/tasks/{taskId}/cancel", 200, new { alreadyClosed = true });

        var result = await _client.GetCase("c-1").CancelTaskAsync("generate");

        Assert.True(result.AlreadyClosed);
    }

    [Fact]
    public async Task CancelTasksAsync_PostsEveryTaskId()
    {
        await _client.GetCase("c-1").CancelTasksAsync(["market", "founders"], new CancelTaskOptions { Reason = "enough" });

        var request = await _server.WaitForRequestAsync("POST", "/api/v1/cases/c-1/tasks/cancel");
        Assert.Equal("""{"taskIds":["market","founders"],"reason":"enough"}""", request.Body);
    }

    [Fact]
    public async Task CancelTasksAsync_NoTaskIds_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.GetCase("c-1").CancelTasksAsync([]));
    }

    [Fact]
    public async Task GetCase_IdWithReservedCharacters_IsEscapedInPath()
    {
        await _client.GetCase("team a/42").DescribeAsync();

        var request = await _server.WaitForRequestAsync(r => r.Method == "GET" && r.RouteValues.TryGetValue("caseId", out var id) && id == "team a/42");
        // Kestrel decodes everything but the slash, which must stay escaped to keep the id one segment.
        Assert.Equal("/api/v1/cases/team a%2F42", request.Path);
    }

    [Fact]
    public async Task DescribeAsync_ApiExample_ParsesTasksResourcesHistory()
    {
        var description = await _client.GetCase("c-1").DescribeAsync();

        Assert.Equal("c-1", description.CaseId);
        Assert.Equal(CaseStatus.Running, description.Status);
        Assert.Equal(CancelMode.Standard, description.Cancel!.Mode);
        Assert.Equal("alice", description.Cancel.RequestedBy);
        var task = Assert.Single(description.Tasks);
        Assert.Equal(CaseTaskStatus.Cancelling, task.Status);
        Assert.Equal(1, task.Cancel!.EscalationLevel);
        Assert.Null(task.Cancel.AckedAt);
        Assert.Equal(1200, task.Usage!.Tokens);
        Assert.Equal(3.5, task.Usage.GpuSeconds);
        Assert.Equal(ResourceStatus.Released, Assert.Single(description.Resources).Status);
        var entry = Assert.Single(description.History);
        Assert.Equal("cancel_requested", entry.Type);
        Assert.Equal("standard", entry.Detail!.Value.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task DescribeAsync_StatusUnknownToClient_MapsToUnknown()
    {
        _server.OnJson("GET", "/api/v1/cases/{caseId}", 200, new { caseId = "c-1", status = "hibernating" });

        var description = await _client.GetCase("c-1").DescribeAsync();

        Assert.Equal(CaseStatus.Unknown, description.Status);
    }

    [Fact]
    public async Task ListCasesAsync_Filters_SentAsQueryString()
    {
        var page = await _client.ListCasesAsync(new ListCasesOptions { Status = CaseStatus.CancelPending, Process = "report", Limit = 2, After = "cur/1" });

        var request = await _server.WaitForRequestAsync("GET", "/api/v1/cases");
        Assert.Equal("?status=cancel_pending&process=report&limit=2&after=cur%2F1", request.Query);
        Assert.Equal(["c-1", "c-2"], page.Cases.Select(c => c.CaseId));
        Assert.Equal(CaseStatus.Cancelled, page.Cases[1].Status);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task ListAllCasesAsync_FollowsCursorToTheEnd()
    {
        _server.On("GET", "/api/v1/cases", (context, request) => request.Query.Contains("after=p2", StringComparison.Ordinal)
            ? FakeRipcordServer.WriteJsonAsync(context, 200, new { cases = new[] { Samples.Summary("c-3", "running") } })
            : FakeRipcordServer.WriteJsonAsync(context, 200, new { cases = new[] { Samples.Summary("c-1", "running"), Samples.Summary("c-2", "failed") }, next = "p2" }));

        List<string> ids = [];
        await foreach (var summary in _client.ListAllCasesAsync(new ListCasesOptions { Limit = 2 }))
        {
            ids.Add(summary.CaseId);
        }

        Assert.Equal(["c-1", "c-2", "c-3"], ids);
    }

    [Fact]
    public async Task ListCasesAsync_BareArray_IsAccepted()
    {
        _server.OnJson("GET", "/api/v1/cases", 200, new[] { Samples.Summary("c-9", "running") });

        var page = await _client.ListCasesAsync();

        Assert.Equal("c-9", Assert.Single(page.Cases).CaseId);
    }

    [Fact]
    public async Task ListProcessesAsync_ParsesDefinitions()
    {
        var processes = await _client.ListProcessesAsync();

        var report = Assert.Single(processes);
        Assert.Equal("report", report.Name);
        Assert.Equal("summary", report.Nodes[0].OnCancel);
        Assert.Equal("first", report.Nodes[2].Join);
        Assert.Equal(["generate", "deliver"], report.Edges[0]);
        Assert.Equal(5, report.Cancel!.AckTimeoutSeconds);
    }

    [Fact]
    public async Task ListThenPut_FieldsUnknownToClient_SurviveRoundTrip()
    {
        _server.OnJson("GET", "/api/v1/processes", 200, """
            [{ "name": "p", "heartbeatSeconds": 2, "futureTop": "x",
               "nodes": [{ "id": "a", "agent": "t", "maxAttempts": 1, "futureNode": true }], "edges": [],
               "cancel": { "ackTimeoutSeconds": 5, "escalation": [{ "afterAckTimeouts": 2, "action": "fence" }] } }]
            """);
        var definition = Assert.Single(await _client.ListProcessesAsync());

        await _client.PutProcessAsync(definition);

        var body = (await _server.WaitForRequestAsync("PUT", "/api/v1/processes/p")).Json;
        Assert.Equal("x", body.GetProperty("futureTop").GetString());
        Assert.True(body.GetProperty("nodes")[0].GetProperty("futureNode").GetBoolean());
        Assert.Equal(1, body.GetProperty("nodes")[0].GetProperty("maxAttempts").GetInt32());
        Assert.Equal(2, body.GetProperty("heartbeatSeconds").GetDouble());
        Assert.Equal("fence", body.GetProperty("cancel").GetProperty("escalation")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task PutProcessAsync_Typed_PutsDefinitionUnderItsName()
    {
        await _client.PutProcessAsync(new ProcessDefinition
        {
            Name = "tiny",
            Nodes = [new ProcessNode { Id = "only", Agent = "quick-summary" }],
        });

        var request = await _server.WaitForRequestAsync("PUT", "/api/v1/processes/tiny");
        Assert.Equal("quick-summary", request.Json.GetProperty("nodes")[0].GetProperty("agent").GetString());
        Assert.False(request.Json.GetProperty("nodes")[0].TryGetProperty("join", out _));
    }

    [Fact]
    public async Task PutProcessAsync_RawJson_SentUnchanged()
    {
        using var document = JsonDocument.Parse("""{"name":"raw","nodes":[],"edges":[],"futureField":1}""");

        await _client.PutProcessAsync("raw", document.RootElement);

        var request = await _server.WaitForRequestAsync("PUT", "/api/v1/processes/raw");
        Assert.Equal(1, request.Json.GetProperty("futureField").GetInt32());
    }

    [Fact]
    public async Task Client_BaseAddressWithPath_KeepsPathPrefix()
    {
        _server.OnJson("GET", "/ripcord/api/v1/processes", 200, "[]");
        using var client = new RipcordClient(new RipcordClientOptions { BaseAddress = new Uri(_server.BaseAddress, "ripcord") });

        var processes = await client.ListProcessesAsync();

        Assert.Empty(processes);
        Assert.Null((await _server.WaitForRequestAsync("GET", "/ripcord/api/v1/processes")).Authorization);
    }
}
